// Package baseline measures this machine's ceilings in the same run as a
// scenario, so that every headline figure can be given as a ratio
// (DESIGN §6): a bare fasthttp server returning a fixed JSON body (the
// ceiling for any handler), one writer's 128-byte append + fsync rate (the
// ceiling for durable writes), and a bare NDJSON decode of an import file
// (the ceiling for an import).
package baseline
