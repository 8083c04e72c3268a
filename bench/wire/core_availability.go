package wire

import (
	"encoding/json"
	"fmt"
)

// OCI Inventory Availability, served by the core (reference/oci-api.md §3):
//
//	POST /inventory/availability/v1/organizations/{tenant}/availability-records/actions/get-availability
//	     {"skus":[…],"locations":[…]} or {"skus":[…],"groups":[…]}  (≤ 100 sku × place)
//	POST …/availability-records/actions/batch-update
//	     {"records":[{"id","location","sku","onHand","effectiveDate"}]} → 204
const availabilityBase = "/inventory/availability/v1/organizations/"

// Place is an OCI location or location group.
type Place struct {
	Group bool   // a location group, else a location
	ID    string // its External Reference
}

func (p Place) String() string {
	if p.Group {
		return "group " + p.ID
	}
	return "location " + p.ID
}

// GetAvailability asks for skus at places (all groups or all locations: the
// API takes one kind per call).
func GetAvailability(tenant string, skus []string, groups bool, places []string) Request {
	body := struct {
		Skus      []string `json:"skus"`
		Groups    []string `json:"groups,omitempty"`
		Locations []string `json:"locations,omitempty"`
	}{Skus: skus}
	if groups {
		body.Groups = places
	} else {
		body.Locations = places
	}
	return jsonRequest("POST", availabilityBase+seg(tenant)+"/availability-records/actions/get-availability", body)
}

// AvailabilityRecord is the part of a get-availability record the harness
// reads.
type AvailabilityRecord struct {
	Sku      string  `json:"sku"`
	OnHand   float64 `json:"onHand"`
	Reserved float64 `json:"reserved"`
	Atf      float64 `json:"atf"`
	Ato      float64 `json:"ato"`
}

// AvailabilityAnswer is a get-availability answer.
type AvailabilityAnswer struct {
	Groups    []PlaceRecords `json:"groups"`
	Locations []PlaceRecords `json:"locations"`
}

// PlaceRecords are one place's records.
type PlaceRecords struct {
	ID      string               `json:"id"`
	Records []AvailabilityRecord `json:"records"`
}

// ParseAvailability reads a get-availability answer.
func ParseAvailability(body []byte) (AvailabilityAnswer, error) {
	var a AvailabilityAnswer
	err := json.Unmarshal(body, &a)
	return a, err
}

// Record returns sku's record at place p.
func (a AvailabilityAnswer) Record(p Place, sku string) (AvailabilityRecord, error) {
	list := a.Locations
	if p.Group {
		list = a.Groups
	}
	for _, pr := range list {
		if pr.ID != p.ID {
			continue
		}
		for _, r := range pr.Records {
			if r.Sku == sku {
				return r, nil
			}
		}
	}
	return AvailabilityRecord{}, fmt.Errorf("no record for %s at %s in the core's answer", sku, p)
}

// UpdateRecord is one batch-update record.
type UpdateRecord struct {
	ID            string  `json:"id"`
	Location      string  `json:"location"`
	Sku           string  `json:"sku"`
	OnHand        float64 `json:"onHand"`
	EffectiveDate string  `json:"effectiveDate"`
}

// BatchUpdate sets records (≤ 100).
func BatchUpdate(tenant string, records []UpdateRecord) Request {
	body := struct {
		Records []UpdateRecord `json:"records"`
	}{records}
	return jsonRequest("POST", availabilityBase+seg(tenant)+"/availability-records/actions/batch-update", body)
}

// StampRecord is a batch-update record that sets every value the ATS at a
// location depends on: onHand, no safety stock, no futures. With no
// reservations there, the location's ATS is exactly OnHand.
type StampRecord struct {
	ID            string     `json:"id"`
	Location      string     `json:"location"`
	Sku           string     `json:"sku"`
	OnHand        int64      `json:"onHand"`
	SafetyStock   int64      `json:"safetyStockCount"`
	Futures       []struct{} `json:"futures"`
	EffectiveDate string     `json:"effectiveDate"`
}

// Stamp builds a StampRecord.
func Stamp(id, location, sku string, onHand int64, effectiveDate string) StampRecord {
	return StampRecord{ID: id, Location: location, Sku: sku, OnHand: onHand, Futures: []struct{}{}, EffectiveDate: effectiveDate}
}

// BatchStamp sets stamp records (≤ 100).
func BatchStamp(tenant string, records []StampRecord) Request {
	body := struct {
		Records []StampRecord `json:"records"`
	}{records}
	return jsonRequest("POST", availabilityBase+seg(tenant)+"/availability-records/actions/batch-update", body)
}
