/* SPDX-License-Identifier: MIT */
/*
 * ref/ring_index.h - the index arithmetic of shared rings, with no syscalls,
 * so that tests can drive it through a simulated ring past 2^32.
 *
 * io_uring's head and tail are free-running 32-bit counters: they are never
 * reduced modulo the ring size, they just wrap at 2^32. An entry's slot is
 * counter & mask (entries is a power of two). Unsigned subtraction gives the
 * distance between two counters correctly across the wrap.
 *
 * Linux AIO's user ring is different: head and tail are already indices in
 * [0, nr), and nr need not be a power of two.
 */
#ifndef REF_RING_INDEX_H
#define REF_RING_INDEX_H

#include <stdbool.h>
#include <stdint.h>

/* Entries between head and tail (submitted but not consumed, or CQEs ready). */
static inline uint32_t ref_ring_used(uint32_t head, uint32_t tail)
{
	return tail - head;	/* correct across the 2^32 wrap */
}

/* Rule: the SQ is full when tail - head >= entries. */
static inline bool ref_ring_full(uint32_t head, uint32_t tail, uint32_t entries)
{
	return ref_ring_used(head, tail) >= entries;
}

static inline uint32_t ref_ring_space(uint32_t head, uint32_t tail, uint32_t entries)
{
	return entries - ref_ring_used(head, tail);
}

/* The slot of a counter; mask is entries - 1. */
static inline uint32_t ref_ring_slot(uint32_t counter, uint32_t mask)
{
	return counter & mask;
}

/* Linux AIO ring: events ready between head and tail, both in [0, nr). */
static inline uint32_t ref_aio_ring_ready(uint32_t head, uint32_t tail, uint32_t nr)
{
	return tail >= head ? tail - head : nr - head + tail;
}

/* Linux AIO ring: the index after idx, wrapping modulo nr. */
static inline uint32_t ref_aio_ring_next(uint32_t idx, uint32_t nr)
{
	return idx + 1 == nr ? 0 : idx + 1;
}

#endif /* REF_RING_INDEX_H */
