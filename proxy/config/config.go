// Package config reads the edge's configuration: one YAML file (JSON is
// accepted, being YAML) whose field names are a contract (DESIGN §3.1).
//
// Parse and Load fill every field the file leaves out with its default (see
// Default), read secrets from the environment where the file names a
// variable instead of a value, and validate the result, reporting every
// problem at once with the path of the field at fault. Unknown fields are
// errors. cmd/ociedge turns the Config into the components' own Configs.
package config

import "time"

// Config is the edge's whole configuration. Get one from Parse, Load or
// Default; the zero Config is not valid (it has no defaults filled in).
//
// A Config is plain data. It is not safe to modify concurrently; once
// parsed, treat it as immutable and share it freely.
type Config struct {
	// OrganizationID is the SCAPI organization the edge serves, as it
	// appears in storefront paths (f_ecom_zzzz_001). Required.
	OrganizationID string `yaml:"organizationId"`
	// Core says how to reach the OCI core.
	Core Core `yaml:"core"`
	// Admin guards the admin page and API.
	Admin Admin `yaml:"admin"`
	// Storefront guards the storefront routes.
	Storefront Storefront `yaml:"storefront"`
	// Sites maps each site to its default inventory list. At least one.
	Sites []Site `yaml:"sites"`
	// Stores maps each store to its store inventory list (BOPIS). Optional.
	Stores []Store `yaml:"stores"`
	// InventoryLists declares every inventory list the edge knows: each
	// one that a site or store names, and any other it should cache.
	InventoryLists []InventoryList `yaml:"inventoryLists"`
	// BasketReservation bounds basket reservations.
	BasketReservation BasketReservation `yaml:"basketReservation"`
	// Cache sizes the availability cache.
	Cache Cache `yaml:"cache"`
	// Streams paces the streams that fill the cache from the core.
	Streams Streams `yaml:"streams"`
	// InventoryRecordRetentionDays is B2C's "Inventory Record Retention":
	// once Omnichannel Inventory mode is active, the edge's own inventory
	// records unused for this many days are deleted. 0..365; 0 (the
	// default) never deletes.
	InventoryRecordRetentionDays int `yaml:"inventoryRecordRetentionDays"`
}

// Core is how the edge reaches the OCI core.
type Core struct {
	// URL is the core's base URL, http or https with a host. Default
	// http://127.0.0.1:8081 (ocicore's default address).
	URL string `yaml:"url"`
	// TenantGroupID is the organizationId on the core's paths. Required.
	TenantGroupID string `yaml:"tenantGroupId"`
	// ClientID and ClientSecret are the edge's client credentials at the
	// core's token endpoint. Both required; the secret may instead come
	// from the environment variable named by ClientSecretEnv (one of the
	// two, not both). After Parse, ClientSecret holds the secret either way.
	ClientID        string `yaml:"clientId"`
	ClientSecret    Secret `yaml:"clientSecret"`
	ClientSecretEnv string `yaml:"clientSecretEnv"`
	// Timeout bounds each call to the core. Default 2s.
	Timeout time.Duration `yaml:"timeout"`
	// Retries is how many times a failed idempotent call is retried (with
	// the same idempotency key). 0..10, default 2.
	Retries int `yaml:"retries"`
	// Breaker is the circuit breaker in front of the core.
	Breaker Breaker `yaml:"breaker"`
}

// Breaker configures the circuit breaker on calls to the core.
type Breaker struct {
	// Failures is how many consecutive failures open the circuit. Default 5.
	Failures int `yaml:"failures"`
	// OpenFor is how long the circuit stays open before a trial call.
	// Default 5s.
	OpenFor time.Duration `yaml:"openFor"`
}

// Admin guards the admin page and API (Authorization: Bearer <token>).
type Admin struct {
	// Token is required, or TokenEnv naming the environment variable that
	// holds it (one of the two). After Parse, Token holds it either way.
	Token    Secret `yaml:"token"`
	TokenEnv string `yaml:"tokenEnv"`
}

// Storefront guards the storefront routes. By default they accept any
// request, as they sit behind the storefront's own auth.
type Storefront struct {
	// RequireToken makes storefront routes require
	// Authorization: Bearer <token>. Default false.
	RequireToken bool `yaml:"requireToken"`
	// Token, or TokenEnv naming the environment variable that holds it, is
	// the shared token: one of the two exactly when RequireToken is set.
	// After Parse, Token holds it either way.
	Token    Secret `yaml:"token"`
	TokenEnv string `yaml:"tokenEnv"`
}

// Site is a storefront site and its default inventory list.
type Site struct {
	// ID is the site id (1–32 of A-Z a-z 0-9 _ -), unique.
	ID string `yaml:"id"`
	// InventoryList is the id of the site's inventory list; it must be
	// declared in Config.InventoryLists.
	InventoryList string `yaml:"inventoryList"`
	// FailNonPlacedOrdersAfter is B2C's auto-fail time: orders still
	// "created" this long after creation are failed and their reservations
	// released. A bare number is minutes (the B2C unit); a Go duration
	// ("30m", "15s") is accepted too. Absent or blank (the default) never
	// fails orders.
	FailNonPlacedOrdersAfter Minutes `yaml:"failNonPlacedOrdersAfter"`
	// BasketLifetime is B2C's basket lifetime for unregistered shoppers
	// (every basket of the edge's): a basket not modified for this long is
	// gone, and its reservation is released. Any change to the basket
	// starts it again. A bare number is minutes; a Go duration is accepted
	// too. 1 minute to 7 days (B2C never keeps a guest basket longer);
	// absent or blank means 7 days.
	BasketLifetime Minutes `yaml:"basketLifetime"`
}

// Store is a physical store and its inventory list, used for BOPIS items.
type Store struct {
	// ID is the store id (1–256 characters, no spaces, slashes or control
	// characters), unique.
	ID string `yaml:"id"`
	// InventoryList is the store's inventory list id; it must be declared
	// in Config.InventoryLists.
	InventoryList string `yaml:"inventoryList"`
}

// InventoryList is an inventory list: the edge's name for a location or
// location group of the core's graph, whose External Reference equals ID.
type InventoryList struct {
	// ID is 2–128 of A-Z a-z 0-9 _ -, unique.
	ID string `yaml:"id"`
	// DefaultInStock makes products without a record in the list count as
	// in stock (B2C's Default In Stock flag). Default false.
	DefaultInStock bool `yaml:"defaultInStock"`
}

// BasketReservation bounds basket reservations. Both values are B2C
// minutes: a bare number is minutes, a Go duration is accepted too. They
// are whole seconds, as the core's expirationSeconds is.
type BasketReservation struct {
	// DefaultMinutes is used when a reservation names no duration.
	// Default 10 (minutes); at most MaxMinutes.
	DefaultMinutes Minutes `yaml:"defaultMinutes"`
	// MaxMinutes is the longest reservation accepted. Default and at most
	// 240 (minutes), B2C's limit and the core's 14400 seconds.
	MaxMinutes Minutes `yaml:"maxMinutes"`
}

// Cache sizes the availability cache.
type Cache struct {
	// MaxRecords is how many (list, sku) records the cache holds.
	// 1..100,000,000 (B2C's cache limit); default 2,000,000.
	MaxRecords int64 `yaml:"maxRecords"`
	// NumCounters is ristretto's admission counter count; at least
	// MaxRecords. 0 or absent (the default) means 2 × MaxRecords,
	// ristretto's advice; Counters returns the value to use.
	NumCounters int64 `yaml:"numCounters"`
	// MissWait bounds how long a lookup that misses the cache in
	// Omnichannel Inventory mode waits for the core's answer. Default 2s.
	MissWait time.Duration `yaml:"missWait"`
	// CombinedStreamWindow runs the combined stream's full import only
	// between 02:00 and 03:00 on the edge's clock, taking changes made
	// before 01:00, as B2C does. Default false: full imports run at once.
	CombinedStreamWindow bool `yaml:"combinedStreamWindow"`
}

// Streams paces the streams that fill the cache.
type Streams struct {
	// PollInterval is the pause between get-deltas calls that returned
	// nothing new. Default 25ms.
	PollInterval time.Duration `yaml:"pollInterval"`
	// GraphPollInterval is how often the location graph is checked for
	// changes. Default 5s.
	GraphPollInterval time.Duration `yaml:"graphPollInterval"`
}
