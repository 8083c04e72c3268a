package client_test

import (
	"ociedge/cache"
	"ociedge/oci/client"
)

// The cache fills itself through the client: it must keep satisfying the
// cache's view of a core.
var _ cache.Core = (*client.Client)(nil)
