package proxy

import (
	"ociedge/cache"
)

// listTable is the storefront's view of sites and inventory lists, built
// once and read per request without locks.
type listTable struct {
	sites map[string]*listEntry // site id -> its inventory list
	lists map[string]*listEntry // list id -> list
}

type listEntry struct {
	id             string
	idBytes        []byte
	cacheID        cache.ListID
	defaultInStock bool
}

func (e *Edge) buildLists() error {
	t := &listTable{sites: map[string]*listEntry{}, lists: map[string]*listEntry{}}
	for _, l := range e.app.InventoryLists {
		cid, _ := e.cache.ListID(l.ID)
		t.lists[l.ID] = &listEntry{id: l.ID, idBytes: []byte(l.ID), cacheID: cid, defaultInStock: l.DefaultInStock}
	}
	for _, s := range e.app.Sites {
		t.sites[s.ID] = t.lists[s.InventoryList]
	}
	e.lists.Store(t)
	return nil
}
