// Package workload draws the requests of a scenario from a seed: which skus
// (Zipf-skewed), how many per lookup or basket, which inventory list, which
// ids. Every draw comes from a math/rand/v2 PCG stream named after its
// purpose, so two runs with the same seed draw the same values, and adding a
// draw to one stream does not shift another.
package workload
