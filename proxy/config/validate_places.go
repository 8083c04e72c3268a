package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	listIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{2,128}$`)
	siteIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
)

const maxStoreIDLen = 256

// places checks sites, stores and inventory lists and the references
// between them.
func (p *problems) places(c *Config) {
	lists := p.lists(c.InventoryLists)
	if len(c.Sites) == 0 {
		p.addf("sites", "at least one site is required")
	}
	seen := map[string]int{}
	for i, s := range c.Sites {
		path := fmt.Sprintf("sites[%d]", i)
		if !siteIDPattern.MatchString(s.ID) {
			p.addf(path+".id", "%q must be 1–32 characters of A-Z a-z 0-9 _ -", s.ID)
		}
		p.unique(seen, "sites", i, s.ID)
		p.listRef(lists, path, s.InventoryList)
		if d := s.FailNonPlacedOrdersAfter; d < 0 {
			p.addf(path+".failNonPlacedOrdersAfter", "%s must not be negative (leave it out to never fail orders)", d)
		}
		if d := s.BasketLifetime.Duration(); d != 0 && (d < MinBasketLife || d > MaxBasketLife) {
			p.addf(path+".basketLifetime", "%s must be between 1 minute and 7 days (B2C keeps no guest basket longer; leave it out for 7 days)", d)
		}
	}
	p.stores(c.Stores, lists)
}

func (p *problems) stores(stores []Store, lists map[string]int) {
	seen := map[string]int{}
	for i, s := range stores {
		path := fmt.Sprintf("stores[%d]", i)
		if !validStoreID(s.ID) {
			p.addf(path+".id", "%q must be 1–%d characters without spaces, '/' or control characters", s.ID, maxStoreIDLen)
		}
		p.unique(seen, "stores", i, s.ID)
		p.listRef(lists, path, s.InventoryList)
	}
}

// lists checks the inventory lists and returns the index of each id.
func (p *problems) lists(lists []InventoryList) map[string]int {
	seen := map[string]int{}
	for i, l := range lists {
		path := fmt.Sprintf("inventoryLists[%d]", i)
		if !listIDPattern.MatchString(l.ID) {
			p.addf(path+".id", "%q must be 2–128 characters of A-Z a-z 0-9 _ -", l.ID)
		}
		p.unique(seen, "inventoryLists", i, l.ID)
	}
	return seen
}

// unique records that array[i] has id, or reports that an earlier entry
// already has it.
func (p *problems) unique(seen map[string]int, array string, i int, id string) {
	if j, dup := seen[id]; dup {
		p.addf(fmt.Sprintf("%s[%d].id", array, i), "%q is already the id of %s[%d]", id, array, j)
		return
	}
	seen[id] = i
}

// listRef checks that the inventoryList field at path names a declared list.
func (p *problems) listRef(lists map[string]int, path, id string) {
	switch _, ok := lists[id]; {
	case id == "":
		p.addf(path+".inventoryList", "required")
	case !ok:
		p.addf(path+".inventoryList", "%q is not an inventory list in inventoryLists", id)
	}
}

// validStoreID reports whether id is 1–256 characters with no space, '/'
// or control character: it appears in paths and logs.
func validStoreID(id string) bool {
	if id == "" || utf8.RuneCountInString(id) > maxStoreIDLen {
		return false
	}
	return !strings.ContainsFunc(id, func(r rune) bool {
		return r == '/' || r == unicode.ReplacementChar || unicode.IsSpace(r) || unicode.IsControl(r)
	})
}
