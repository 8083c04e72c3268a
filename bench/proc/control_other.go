//go:build !unix

package proc

import (
	"context"
	"errors"
	"syscall"
	"time"
)

var errUnsupported = errors.New("proc: process control needs a Unix system")

// Stop is not supported here.
func Stop(context.Context, int, syscall.Signal, time.Duration) error { return errUnsupported }

// StartDetached is not supported here.
func StartDetached([]string, string) (int, error) { return 0, errUnsupported }

// ReadPIDFile is not supported here.
func ReadPIDFile(string) (int, error) { return 0, errUnsupported }

// WritePIDFile is not supported here.
func WritePIDFile(string, int) error { return errUnsupported }
