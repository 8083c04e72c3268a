package load

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckURL parses a target URL and refuses it unless it is http(s) on a
// loopback host (127.0.0.0/8, ::1, localhost) or allowRemote is set. It
// returns the scheme and the host:port to dial.
func CheckURL(raw string, allowRemote bool) (scheme, addr string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("target %q is not a URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("target %q: scheme must be http or https", raw)
	}
	host := u.Hostname()
	if host == "" {
		return "", "", fmt.Errorf("target %q has no host", raw)
	}
	if !allowRemote && !IsLoopback(host) {
		return "", "", fmt.Errorf("target %q is not a loopback address (127.0.0.0/8, ::1, localhost); "+
			"load against other hosts must be asked for explicitly with --allow-remote", raw)
	}
	return u.Scheme, net.JoinHostPort(host, portOf(u)), nil
}

// IsLoopback reports whether host (a name or an IP, without port) is
// "localhost" or a loopback IP. Other names are not resolved: a name that
// happens to resolve to loopback today is still refused.
func IsLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}
