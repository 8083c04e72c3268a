package wire

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
)

// The core's Account-Manager-style token endpoint (DESIGN §2 Auth;
// reference/oci-api.md §1.2):
//
//	POST /dwsso/oauth2/access_token  (HTTP Basic clientId:secret)
//	     grant_type=client_credentials&scope=SALESFORCE_COMMERCE_API:<tenant> sfcc.inventory.…
//	→ 200 {"access_token","token_type":"Bearer","expires_in"}
const tokenPath = "/dwsso/oauth2/access_token"

// TokenScopes are the scopes the harness asks for besides the tenant's.
var TokenScopes = []string{
	"sfcc.inventory.availability",
	"sfcc.inventory.availability.rw",
	"sfcc.inventory.reservations.rw",
	"sfcc.inventory.impex-inventory",
	"sfcc.inventory.impex-inventory.rw",
}

// TokenRequest builds the token call and its Authorization header.
func TokenRequest(clientID, secret, tenant string) (req Request, auth string) {
	form := url.Values{
		"grant_type": {"client_credentials"},
		"scope":      {"SALESFORCE_COMMERCE_API:" + tenant + " " + strings.Join(TokenScopes, " ")},
	}
	auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+secret))
	return Request{Method: "POST", URI: tokenPath, Body: []byte(form.Encode()),
		ContentType: "application/x-www-form-urlencoded"}, auth
}

// Token is a bearer token and how long it lives.
type Token struct {
	Bearer  string // "Bearer …", ready for the Authorization header
	Expires time.Duration
}

// ParseToken reads a token answer.
func ParseToken(body []byte) (Token, error) {
	var v struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return Token{}, err
	}
	if v.AccessToken == "" {
		return Token{}, errors.New("token answer has no access_token")
	}
	return Token{Bearer: "Bearer " + v.AccessToken, Expires: time.Duration(v.ExpiresIn) * time.Second}, nil
}
