package client

import (
	"encoding/json"
	"fmt"

	"ociedge/oci"
)

// recordKey names a record of a batch request: its idempotency id and sku.
type recordKey struct{ id, sku string }

// decodeRecordErrors reads the 200 answer of a batch call,
// {"errors":[{"details":{"id","sku",…},"message","errorCode"}]}, and finds
// each failed record's index in the request by (id, sku). A 204 (empty
// body) means every record was applied.
func decodeRecordErrors(b []byte, keys []recordKey) ([]RecordError, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var w struct {
		Errors []struct {
			Details struct {
				ID  string `json:"id"`
				SKU string `json:"sku"`
			} `json:"details"`
			Message   string `json:"message"`
			ErrorCode string `json:"errorCode"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("client: cannot read the per-record errors: %w", err)
	}
	used := make([]bool, len(keys))
	out := make([]RecordError, 0, len(w.Errors))
	for _, e := range w.Errors {
		k := recordKey{e.Details.ID, e.Details.SKU}
		out = append(out, RecordError{Index: indexOf(keys, used, k), ID: k.id, SKU: k.sku,
			Code: oci.Code(e.ErrorCode), Message: e.Message})
	}
	return out, nil
}

// indexOf returns the first unused position of k in keys, or -1.
func indexOf(keys []recordKey, used []bool, k recordKey) int {
	for i, x := range keys {
		if x == k && !used[i] {
			used[i] = true
			return i
		}
	}
	return -1
}
