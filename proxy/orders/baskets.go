package orders

import (
	"context"
	"fmt"
	"unicode"
	"unicode/utf8"

	"go.uber.org/zap"
)

// ItemInput is a product item to put in a basket.
type ItemInput struct {
	ProductID string
	// Quantity is whole units, 1..MaxQuantity.
	Quantity int64
	// InventoryID is a store inventory list for BOPIS; "" ships from the
	// site's list.
	InventoryID string
}

// ItemUpdate changes a basket item. Nil fields are left alone; Quantity 0
// removes the item.
type ItemUpdate struct {
	ItemID      string
	Quantity    *int64
	InventoryID *string
}

// maxProductID is SCAPI's productId maxLength.
const maxProductID = 100

// CreateBasket creates a basket for the site with the items.
func (s *Service) CreateBasket(siteID string, items []ItemInput) (*Basket, error) {
	if _, err := s.site(siteID); err != nil {
		return nil, err
	}
	now := s.now()
	b := &Basket{ID: s.cfg.NewID(), SiteID: siteID, Created: now, Modified: now, Items: []Item{}}
	if err := s.addItems(b, items); err != nil {
		return nil, err
	}
	c := s.repo.change()
	c.putBasket(nil, b)
	if err := c.commit("create basket " + b.ID); err != nil {
		return nil, err
	}
	return b, nil
}

// Basket returns a basket of the site.
func (s *Service) Basket(siteID, id string) (*Basket, error) {
	if _, err := s.site(siteID); err != nil {
		return nil, err
	}
	return s.loadBasket(siteID, id)
}

func (s *Service) loadBasket(siteID, id string) (*Basket, error) {
	if !validBasketID(id) {
		return nil, basketNotFound(id)
	}
	b, ok, err := s.repo.basket(id)
	switch {
	case err != nil:
		return nil, internal(err, "read basket "+id)
	case !ok || b.SiteID != siteID || s.expired(b):
		return nil, basketNotFound(id) // an expired basket is gone; the job deletes it
	}
	return b, nil
}

// AddItems adds items to a basket. An item of a product (and inventory
// list) already in the basket raises that item's quantity.
func (s *Service) AddItems(siteID, id string, items []ItemInput) (*Basket, error) {
	return s.editBasket(siteID, id, func(b *Basket) error { return s.addItems(b, items) })
}

// UpdateItems changes basket items; an item with quantity 0 is removed.
func (s *Service) UpdateItems(siteID, id string, ups []ItemUpdate) (*Basket, error) {
	return s.editBasket(siteID, id, func(b *Basket) error {
		for i, u := range ups {
			if err := s.updateItem(b, fmt.Sprintf("[%d].", i), u); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemoveItem removes an item from a basket.
func (s *Service) RemoveItem(siteID, id, itemID string) (*Basket, error) {
	zero := int64(0)
	return s.editBasket(siteID, id, func(b *Basket) error {
		return s.updateItem(b, "", ItemUpdate{ItemID: itemID, Quantity: &zero})
	})
}

// editBasket changes a basket's items under its lock. A reservation is
// left as it is: like B2C's, it does not follow later item changes.
func (s *Service) editBasket(siteID, id string, fn func(b *Basket) error) (*Basket, error) {
	if _, err := s.site(siteID); err != nil {
		return nil, err
	}
	unlock := s.baskets.lock(id)
	defer unlock()
	old, err := s.loadBasket(siteID, id)
	if err != nil {
		return nil, err
	}
	b := old.clone()
	if err := fn(b); err != nil {
		return nil, err
	}
	b.Modified = s.now()
	c := s.repo.change()
	c.putBasket(old, b)
	if err := c.commit("update basket " + id); err != nil {
		return nil, err
	}
	return b, nil
}

// DeleteBasket deletes a basket and releases its reservation. If the
// reservation system does not answer, the reservation is left to expire.
func (s *Service) DeleteBasket(ctx context.Context, siteID, id string) error {
	if _, err := s.site(siteID); err != nil {
		return err
	}
	unlock := s.baskets.lock(id)
	defer unlock()
	old, err := s.loadBasket(siteID, id)
	if err != nil {
		return err
	}
	s.releaseBasketBestEffort(ctx, old.ID, old.Res)
	c := s.repo.change()
	c.deleteBasket(old)
	return c.commit("delete basket " + id)
}

func (s *Service) releaseBasketBestEffort(ctx context.Context, basketID string, res *BasketRes) {
	if res == nil || !res.Live(s.now()) && res.PendingPut == nil {
		return
	}
	sys := s.system(res.System)
	err := sys.releaseBasket(ctx, basketID, res)
	s.m.reservation(res.System, "basket_release", outcomeOf(err))
	if err != nil {
		s.log.Warn("cannot release a basket reservation; it expires by itself",
			zap.String("basket", basketID), zap.String("system", string(res.System)), zap.Error(err))
	}
}

func (s *Service) addItems(b *Basket, items []ItemInput) error {
	for i, in := range items {
		p := fmt.Sprintf("productItems[%d].", i)
		if err := s.checkItem(p, in); err != nil {
			return err
		}
		if j := findItem(b.Items, in.ProductID, in.InventoryID); j >= 0 {
			if b.Items[j].Quantity+in.Quantity > MaxQuantity {
				return invalid(p+"quantity", "the item's quantity would exceed %d", MaxQuantity)
			}
			b.Items[j].Quantity += in.Quantity
			continue
		}
		if len(b.Items) >= s.cfg.MaxItems {
			return invalid("productItems", "a basket may have at most %d product items", s.cfg.MaxItems)
		}
		b.Items = append(b.Items, Item{ItemID: s.cfg.NewID(), ProductID: in.ProductID,
			Quantity: in.Quantity, InventoryID: in.InventoryID})
	}
	return nil
}

func findItem(items []Item, productID, inventoryID string) int {
	for i, it := range items {
		if it.ProductID == productID && it.InventoryID == inventoryID {
			return i
		}
	}
	return -1
}

func (s *Service) updateItem(b *Basket, p string, u ItemUpdate) error {
	i := -1
	for j, it := range b.Items {
		if it.ItemID == u.ItemID {
			i = j
		}
	}
	if i < 0 {
		return &Error{Code: EITEMNOTFOUND, Field: p + "itemId",
			Message: fmt.Sprintf("No product item with ID '%s' is in the basket.", clip(u.ItemID))}
	}
	if u.InventoryID != nil {
		if err := s.checkList(p+"inventoryId", *u.InventoryID); err != nil {
			return err
		}
		b.Items[i].InventoryID = *u.InventoryID
	}
	if u.Quantity == nil {
		return nil
	}
	if q := *u.Quantity; q < 0 || q > MaxQuantity {
		return invalid(p+"quantity", "must be a whole number from 0 to %d", MaxQuantity)
	}
	if *u.Quantity == 0 {
		b.Items = append(b.Items[:i], b.Items[i+1:]...)
		return nil
	}
	b.Items[i].Quantity = *u.Quantity
	return nil
}

func (s *Service) checkItem(p string, in ItemInput) error {
	if err := checkProductID(p+"productId", in.ProductID); err != nil {
		return err
	}
	if in.Quantity < 1 || in.Quantity > MaxQuantity {
		return invalid(p+"quantity", "must be a whole number from 1 to %d", MaxQuantity)
	}
	return s.checkList(p+"inventoryId", in.InventoryID)
}

func (s *Service) checkList(field, id string) error {
	if id != "" && !s.ix.lists[id] {
		return invalid(field, "no inventory list with ID '%s' is configured", clip(id))
	}
	return nil
}

// checkProductID accepts 1-100 characters of valid UTF-8 without white
// space, control characters or any of \ < > ; % / (which neither a B2C
// record nor an OCI sku may hold).
func checkProductID(field, id string) error {
	if id == "" || utf8.RuneCountInString(id) > maxProductID || !utf8.ValidString(id) {
		return invalid(field, "must be 1 to %d characters of valid UTF-8", maxProductID)
	}
	for _, c := range id {
		if unicode.IsSpace(c) || unicode.IsControl(c) || c == '\\' || c == '<' || c == '>' || c == ';' || c == '%' || c == '/' {
			return invalid(field, "must not contain white space, control characters or any of \\ < > ; %% /")
		}
	}
	return nil
}
