package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"ociedge/oci"
)

// ReservationsExport lists the core's reservation documents through the
// reservations export (reference §5.5, I-R1..4; scope
// sfcc.inventory.impex-inventory.rw): status is "open" or "closed" (every
// document that left OPEN: closed, cancelled or expired), from bounds their
// reservationTime from below (a zero from lists them all). It starts the
// export, polls its status, streams the file and calls fn once per
// document, in the core's creation order. A document's Groups and Locations
// are what it holds (an open one) or what it reserved (a closed one);
// ExpirationTime is not part of the file and stays nil.
//
// An error from fn stops the listing and is returned. A file with fewer
// documents than the export's status counted is an error wrapping
// ErrTruncated. The export job is deleted afterwards, best effort. The
// initiation is retried only when the core refused it (429) or it never
// left; the download only before its first byte was read.
func (c *Client) ReservationsExport(ctx context.Context, status string, from time.Time, fn func(oci.ReservationView) error) error {
	id, statusLink, err := c.startReservationsExport(ctx, status, from)
	if err != nil {
		return err
	}
	base := c.paths.impex + "/reservations/exports/" + escape(id)
	defer c.deleteJob(ctx, "delete-reservations-export", base)
	st, err := c.awaitExport(ctx, "reservations-export-status", c.link(statusLink, base+"/status"))
	if err != nil {
		return err
	}
	want := st.Export.Exported
	n, err := c.downloadReservations(ctx, c.link(st.Download.Link, base+"/file-content"), fn)
	if err == nil && n < want {
		err = fmt.Errorf("client: reservations export: %d of %d documents read: %w", n, want, ErrTruncated)
	}
	return err
}

// reservationsEpoch is the fromDate sent for a zero from: the earliest date
// the core accepts.
var reservationsEpoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

func (c *Client) startReservationsExport(ctx context.Context, status string, from time.Time) (string, string, error) {
	if from.IsZero() {
		from = reservationsEpoch
	}
	body, err := json.Marshal(map[string]string{"status": status, "fromDate": from.UTC().Format(time.RFC3339Nano)})
	if err != nil {
		return "", "", err
	}
	var ans struct {
		ExportID   string `json:"exportId"`
		StatusLink string `json:"exportStatusLink"`
	}
	err = c.do(ctx, &call{op: "start-reservations-export", method: "POST", body: body,
		path: c.paths.impex + "/reservations/exports",
		ok:   func(_ int, b []byte) error { return json.Unmarshal(b, &ans) }})
	if err == nil && ans.ExportID == "" {
		err = fmt.Errorf("client: start-reservations-export: the answer has no exportId")
	}
	return ans.ExportID, ans.StatusLink, err
}

// downloadReservations streams the export file at path through fn and
// returns how many documents it read.
func (c *Client) downloadReservations(ctx context.Context, path string, fn func(oci.ReservationView) error) (int64, error) {
	var n int64
	err := c.do(ctx, &call{op: "reservations-export-download", method: "GET", idempotent: true, path: path,
		timeout: c.cfg.TransferTimeout,
		stream: func(r io.Reader) (err error) {
			n, err = readReservations(r, c.cfg.MaxLineBytes, fn)
			return err
		}})
	return n, err
}

// readReservations parses a reservations export file, one document a line
// (blank lines are skipped), and calls fn with each.
func readReservations(r io.Reader, maxLine int, fn func(oci.ReservationView) error) (int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	var n int64
	for line := 1; ; line++ {
		b, rerr := readLine(br, &long, maxLine)
		if len(b) > 0 {
			v, err := parseReservationLine(b)
			if err == nil {
				err = fn(v)
			}
			if err != nil {
				return n, fmt.Errorf("client: reservations export line %d: %w", line, err)
			}
			n++
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, fmt.Errorf("client: reservations export line %d: %w", line, rerr)
		}
	}
}

// wireReservation is one line of a reservations export (reference §5.5).
type wireReservation struct {
	ReservationID   string `json:"reservationId"`
	ExternalRefID   string `json:"externalRefId"`
	ReservationTime int64  `json:"reservationTime"` // epoch milliseconds
	State           string `json:"reservationState"`
	Details         []struct {
		Group    string  `json:"group"`
		Location string  `json:"location"`
		SKU      string  `json:"sku"`
		Quantity oci.Qty `json:"quantity"`
	} `json:"reservationDetails"`
}

// parseReservationLine turns one export line into a view, its details
// gathered per place.
func parseReservationLine(b []byte) (oci.ReservationView, error) {
	var w wireReservation
	if err := json.Unmarshal(b, &w); err != nil {
		return oci.ReservationView{}, err
	}
	if w.ReservationID == "" {
		return oci.ReservationView{}, fmt.Errorf("a line without reservationId")
	}
	v := oci.ReservationView{ReservationID: w.ReservationID, ExternalRefID: w.ExternalRefID,
		State: oci.ReservationState(w.State), ReservationTime: time.UnixMilli(w.ReservationTime).UTC()}
	for _, d := range w.Details {
		switch {
		case d.Group != "" && d.Location == "":
			v.Groups = addPlaceLine(v.Groups, d.Group, oci.Line{SKU: d.SKU, Quantity: d.Quantity})
		case d.Location != "" && d.Group == "":
			v.Locations = addPlaceLine(v.Locations, d.Location, oci.Line{SKU: d.SKU, Quantity: d.Quantity})
		default:
			return oci.ReservationView{}, fmt.Errorf("reservation %s: a detail needs a group or a location", w.ReservationID)
		}
	}
	return v, nil
}

func addPlaceLine(list []oci.PlaceHolding, place string, l oci.Line) []oci.PlaceHolding {
	for i := range list {
		if list[i].ID == place {
			list[i].Items = append(list[i].Items, l)
			return list
		}
	}
	return append(list, oci.PlaceHolding{ID: place, Items: []oci.Line{l}})
}
