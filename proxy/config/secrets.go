package config

import "fmt"

// secretRef is a secret the file gives either inline or by the name of an
// environment variable.
type secretRef struct {
	path, envPath string
	value         *Secret
	env           string
}

// secretRefs returns every secret of c, with the paths of its two fields.
func (c *Config) secretRefs() []secretRef {
	return []secretRef{
		{"core.clientSecret", "core.clientSecretEnv", &c.Core.ClientSecret, c.Core.ClientSecretEnv},
		{"admin.token", "admin.tokenEnv", &c.Admin.Token, c.Admin.TokenEnv},
		{"storefront.token", "storefront.tokenEnv", &c.Storefront.Token, c.Storefront.TokenEnv},
	}
}

// resolveSecrets copies each secret given by environment variable into its
// value field. A secret set both ways is an error; an empty variable is left
// for Validate to report.
func (c *Config) resolveSecrets(getenv func(string) string) []error {
	var errs []error
	for _, s := range c.secretRefs() {
		if s.env == "" {
			continue
		}
		if *s.value != "" {
			errs = append(errs, &FieldError{Field: s.path,
				Message: fmt.Sprintf("set either %s or %s, not both", s.path, s.envPath)})
			continue
		}
		if getenv != nil {
			*s.value = Secret(getenv(s.env))
		}
	}
	return errs
}

// secret checks that a required secret has a value.
func (p *problems) secret(s secretRef, required bool) {
	switch {
	case *s.value != "":
	case s.env != "":
		p.addf(s.envPath, "environment variable %q is empty or unset", s.env)
	case required:
		p.addf(s.path, "required (or %s naming an environment variable)", s.envPath)
	}
}
