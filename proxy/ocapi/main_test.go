package ocapi

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails on leaked goroutines, except fasthttp's process-wide date
// ticker and the worker-pool cleaner that exits on its next tick after
// Shutdown.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
	)
}
