package orders

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strconv"
)

// randomID returns 26 random hex digits, the shape of SCAPI basket and item
// ids.
func randomID() string {
	var b [13]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("BUG: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// basketDocID is the core document of a basket's gen-th reservation.
func (s *Service) basketDocID(basketID string, gen int) string {
	return s.cfg.IDPrefix + "-b-" + basketID + "-" + strconv.Itoa(gen)
}

// orderDocID is the core document of an order's gen-th reservation.
func (s *Service) orderDocID(no string, gen int) string {
	return s.cfg.IDPrefix + "-o-" + no + "-" + strconv.Itoa(gen)
}

// orderResID is the B2C reservation of an order's gen-th reservation in
// its n-th inventory list.
func (s *Service) orderResID(no string, gen, n int) string {
	return s.orderDocID(no, gen) + "-" + strconv.Itoa(n)
}

// holdID is the B2C hold of a basket in one inventory list.
func holdID(basketID, listID string) string {
	h := fnv.New32a()
	h.Write([]byte(listID))
	return fmt.Sprintf("%s.%08x", basketID, h.Sum32())
}

// formatOrderNo writes an order number B2C style: at least 8 digits.
func formatOrderNo(n int64) string { return fmt.Sprintf("%08d", n) }

// validBasketID accepts the ids NewID makes and anything a client may have
// been given: 1-64 of A-Z a-z 0-9 _ -.
func validBasketID(id string) bool { return len(id) >= 1 && len(id) <= 64 && isToken(id) }

// validOrderNo accepts SCAPI order numbers: 1-50 of A-Z a-z 0-9 _ -.
func validOrderNo(no string) bool { return len(no) >= 1 && len(no) <= 50 && isToken(no) }
