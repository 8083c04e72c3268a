package httpapi

// appendStringForTest exposes appendString to the external tests.
var AppendStringForTest = func(s string) []byte { return appendString(nil, s) }
