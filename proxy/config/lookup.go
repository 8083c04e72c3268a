package config

// The lookups below scan the configuration's slices. They are meant for
// wiring and admin code; the edge builds its own index for the hot path.

// Site returns the site with the given id.
func (c *Config) Site(id string) (Site, bool) {
	for _, s := range c.Sites {
		if s.ID == id {
			return s, true
		}
	}
	return Site{}, false
}

// SiteList returns the inventory list id of the site.
func (c *Config) SiteList(siteID string) (string, bool) {
	s, ok := c.Site(siteID)
	return s.InventoryList, ok
}

// StoreList returns the inventory list id of the store.
func (c *Config) StoreList(storeID string) (string, bool) {
	for _, s := range c.Stores {
		if s.ID == storeID {
			return s.InventoryList, true
		}
	}
	return "", false
}

// List returns the declared inventory list with the given id.
func (c *Config) List(id string) (InventoryList, bool) {
	for _, l := range c.InventoryLists {
		if l.ID == id {
			return l, true
		}
	}
	return InventoryList{}, false
}

// ListIDs returns the ids of every declared inventory list, in file order.
func (c *Config) ListIDs() []string {
	ids := make([]string, len(c.InventoryLists))
	for i, l := range c.InventoryLists {
		ids[i] = l.ID
	}
	return ids
}

// SiteListIDs returns the ids of the inventory lists assigned to sites,
// each once, in file order. Each gets a dedicated cache stream.
func (c *Config) SiteListIDs() []string {
	ids := make([]string, len(c.Sites))
	for i, s := range c.Sites {
		ids[i] = s.InventoryList
	}
	return distinct(ids)
}

// StoreListIDs returns the ids of the inventory lists assigned to stores,
// each once, in file order.
func (c *Config) StoreListIDs() []string {
	ids := make([]string, len(c.Stores))
	for i, s := range c.Stores {
		ids[i] = s.InventoryList
	}
	return distinct(ids)
}

// distinct removes repeated ids in place, keeping the first of each.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
