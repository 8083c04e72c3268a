package cache

import "sync"

// maxSKU is the longest sku the core accepts (RAML SkuId).
const maxSKU = 250

// keyBuf is a reusable key buffer: a ristretto key is the list index (2
// bytes, big endian) followed by the sku bytes. ristretto only hashes the
// key, so a buffer can go back to the pool as soon as Get or Set returns.
// Keys are built in pooled buffers rather than on the stack because the
// key reaches ristretto's hash function through a function value, which
// makes it escape.
type keyBuf struct{ b []byte }

var keyPool = sync.Pool{New: func() any { return &keyBuf{b: make([]byte, 0, 2+maxSKU)} }}

func getKeyBuf() *keyBuf  { return keyPool.Get().(*keyBuf) }
func putKeyBuf(k *keyBuf) { keyPool.Put(k) }

// appendKey appends the key of (list, sku) to dst.
func appendKey[S ~string | ~[]byte](dst []byte, list ListID, sku S) []byte {
	return append(append(dst, byte(list>>8), byte(list)), sku...)
}
