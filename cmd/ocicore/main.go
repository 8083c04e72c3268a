// Command ocicore is not built yet: its issue has not landed. It prints its
// usage and exits non-zero so that scripts notice.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "usage: ocicore ... (not implemented yet)")
	os.Exit(2)
}
