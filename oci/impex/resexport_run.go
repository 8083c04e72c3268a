package impex

import (
	"bufio"
	"errors"
	"strconv"

	"ociedge/oci"
)

// writeReservations streams the documents the export's request selects
// from the core into the export file, one line each.
func (s *Service) writeReservations(j *job) (exportRecord, error) {
	var rec exportRecord
	if j.Export.Reservations == nil {
		return rec, errors.New("the export's request was not kept; submit the export again")
	}
	f, err := j.Export.Reservations.filter()
	if err != nil {
		return rec, err
	}
	err = s.writeFile(s.exportPath(j.ID), func(w *bufio.Writer) error {
		return s.core.Reservations(f, func(v oci.ReservationView) error {
			if s.stopping() {
				return errStopped
			}
			if _, err := w.Write(appendReservation(w.AvailableBuffer(), &v)); err != nil {
				return err
			}
			rec.Exported++
			return nil
		})
	}, &rec)
	return rec, err
}

// appendReservation appends one line of a reservations export (reference
// §5.5): the document and, per place and sku, what it holds with one
// "Reserved" action at the document's time (the core keeps no action
// history).
func appendReservation(b []byte, v *oci.ReservationView) []byte {
	b = appendString(append(b, `{"reservationId":`...), v.ReservationID)
	if v.ExternalRefID != "" {
		b = appendString(append(b, `,"externalRefId":`...), v.ExternalRefID)
	}
	ms := v.ReservationTime.UnixMilli()
	b = strconv.AppendInt(append(b, `,"reservationTime":`...), ms, 10)
	b = appendString(append(b, `,"reservationState":`...), string(v.State))
	b = append(b, `,"reservationDetails":[`...)
	first := true
	for _, p := range v.Groups {
		b = appendDetails(b, v, "group", p, ms, &first)
	}
	for _, p := range v.Locations {
		b = appendDetails(b, v, "location", p, ms, &first)
	}
	return append(b, "]}\n"...)
}

// appendDetails appends the detail objects of one place; key is "group" or
// "location".
func appendDetails(b []byte, v *oci.ReservationView, key string, p oci.PlaceHolding, ms int64, first *bool) []byte {
	for _, it := range p.Items {
		if !*first {
			b = append(b, ',')
		}
		*first = false
		b = appendString(append(append(append(b, `{"`...), key...), `":`...), p.ID)
		b = appendString(append(b, `,"sku":`...), it.SKU)
		b = appendQty(b, `,"quantity":`, it.Quantity)
		b = appendString(append(b, `,"reservationDetailActions":[{"requestId":`...), v.ReservationID)
		if v.ExternalRefID != "" {
			b = appendString(append(b, `,"externalRefId":`...), v.ExternalRefID)
		}
		b = appendQty(b, `,"quantity":`, it.Quantity)
		b = appendString(append(append(append(b, `,"action":"Reserved","`...), key...), `":`...), p.ID)
		b = strconv.AppendInt(append(b, `,"timestamp":"`...), ms, 10)
		b = append(b, `"}]}`...)
	}
	return b
}
