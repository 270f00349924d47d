// SPDX-License-Identifier: MIT
/*
 * tests/fuzz/ring-index.c - libFuzzer target for ref/include/ref/ring_index.h.
 *
 * The input drives a simulated ring in memory, with no syscalls: an io_uring
 * ring (free-running u32 head and tail, slot = counter & mask) or a Linux
 * AIO event ring (head and tail in [0, nr), nr - 1 events at most). After
 * every step the ring's arithmetic is compared with a model that cannot
 * wrap - a count of items in flight (64-bit positions) and a FIFO of their
 * values - and any disagreement is a __builtin_trap().
 *
 * Input:
 *   byte 0      bit 0: 0 io_uring, 1 AIO;
 *               io_uring: entries = 1 << ((byte0 >> 1) & 15), 1 .. 32768
 *   bytes 1-4   w, little-endian:
 *               io_uring: start counter = w when w is odd, else
 *                 2^32 - 1 - (w >> 1) % (4 * entries + 64), a few
 *                 ring-fulls below the wrap;
 *               AIO: nr = 1 + (w & 0xfff), start index = (w >> 12) % nr
 *   then one operation a byte, op = byte >> 6, a = byte & 63:
 *     0  produce a items (stop when the ring says full)
 *     1  consume a items (stop when the ring says empty)
 *     2  bulk: ((a & 31) + 1) * max(1, capacity / 32) items, produced when
 *        a & 32, else consumed
 *     3  check: up to 64 in-flight slots, from in-flight offset
 *        a * in_flight / 64, hold the FIFO's values
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref/ring_index.h"

#define MAX_ENTRIES 32768u	/* io_uring's largest SQ */
#define MAX_NR 4096u		/* AIO rings here: nr in [1, 4096] */

#define ASSERT(c)				\
	do {					\
		if (!(c))			\
			__builtin_trap();	\
	} while (0)

/* The ring's memory. */
static uint64_t slots[MAX_ENTRIES > MAX_NR ? MAX_ENTRIES : MAX_NR];

/* The model: values in flight, positions that never wrap in one input. */
static uint64_t fifo[MAX_ENTRIES > MAX_NR ? MAX_ENTRIES : MAX_NR];
static uint64_t wpos, rpos;
static uint32_t cap;		/* how many the ring may hold */
static uint64_t salt;

static uint64_t count(void)
{
	return wpos - rpos;
}

static uint64_t value_of(uint64_t pos)
{
	return (pos * 0x9e3779b97f4a7c15ULL) ^ salt;
}

/* ---- io_uring ---- */

struct uring {
	uint32_t entries, mask, start, head, tail;
};

/* The slot position pos must use: (start + pos) mod entries, no masks. */
static uint32_t uring_want_slot(const struct uring *r, uint64_t pos)
{
	return (uint32_t)(((uint64_t)r->start + pos) % r->entries);
}

static void uring_check(const struct uring *r)
{
	uint64_t n = count();

	ASSERT(ref_ring_used(r->head, r->tail) == n);
	ASSERT(ref_ring_space(r->head, r->tail, r->entries) == r->entries - n);
	ASSERT(ref_ring_full(r->head, r->tail, r->entries) == (n == r->entries));
	ASSERT((r->head == r->tail) == (n == 0));
}

static bool uring_produce(struct uring *r)
{
	uint32_t slot;

	uring_check(r);
	if (ref_ring_full(r->head, r->tail, r->entries))
		return false;
	slot = ref_ring_slot(r->tail, r->mask);
	ASSERT(slot == uring_want_slot(r, wpos));
	slots[slot] = value_of(wpos);
	fifo[wpos % cap] = value_of(wpos);
	wpos++;
	r->tail++;
	return true;
}

static bool uring_consume(struct uring *r)
{
	uint32_t slot;

	uring_check(r);
	if (ref_ring_used(r->head, r->tail) == 0)
		return false;
	slot = ref_ring_slot(r->head, r->mask);
	ASSERT(slot == uring_want_slot(r, rpos));
	ASSERT(slots[slot] == fifo[rpos % cap]);
	ASSERT(fifo[rpos % cap] == value_of(rpos));
	rpos++;
	r->head++;
	return true;
}

/* Up to 64 entries in flight, from offset off, are where the model says. */
static void uring_scan(const struct uring *r, uint64_t off)
{
	uint64_t n = count();

	for (uint64_t i = off; i < n && i < off + 64; i++) {
		uint32_t slot = ref_ring_slot(r->head + (uint32_t)i, r->mask);

		ASSERT(slot == uring_want_slot(r, rpos + i));
		ASSERT(slots[slot] == fifo[(rpos + i) % cap]);
	}
}

/* ---- Linux AIO ---- */

struct aio {
	uint32_t nr, start, head, tail;
};

static uint32_t aio_want_index(const struct aio *r, uint64_t pos)
{
	return (uint32_t)(((uint64_t)r->start + pos) % r->nr);
}

static void aio_check(const struct aio *r)
{
	ASSERT(r->head < r->nr && r->tail < r->nr);
	ASSERT(ref_aio_ring_ready(r->head, r->tail, r->nr) == count());
	ASSERT(r->head == aio_want_index(r, rpos));
	ASSERT(r->tail == aio_want_index(r, wpos));
}

static bool aio_produce(struct aio *r)
{
	aio_check(r);
	if (ref_aio_ring_ready(r->head, r->tail, r->nr) >= r->nr - 1)
		return false;
	slots[r->tail] = value_of(wpos);
	fifo[wpos % cap] = value_of(wpos);
	wpos++;
	r->tail = ref_aio_ring_next(r->tail, r->nr);
	ASSERT(r->tail == aio_want_index(r, wpos));
	return true;
}

static bool aio_consume(struct aio *r)
{
	aio_check(r);
	if (ref_aio_ring_ready(r->head, r->tail, r->nr) == 0)
		return false;
	ASSERT(slots[r->head] == fifo[rpos % cap]);
	ASSERT(fifo[rpos % cap] == value_of(rpos));
	rpos++;
	r->head = ref_aio_ring_next(r->head, r->nr);
	ASSERT(r->head == aio_want_index(r, rpos));
	return true;
}

static void aio_scan(const struct aio *r, uint64_t off)
{
	uint64_t n = count();

	for (uint64_t i = off; i < n && i < off + 64; i++) {
		uint32_t idx = aio_want_index(r, rpos + i);

		ASSERT(slots[idx] == fifo[(rpos + i) % cap]);
	}
}

/* ---- driver ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uring ur = { 0 };
	struct aio ar = { 0 };
	bool is_aio;
	uint32_t w, unit;

	if (size < 5)
		return 0;
	is_aio = data[0] & 1;
	w = (uint32_t)data[1] | (uint32_t)data[2] << 8 |
	    (uint32_t)data[3] << 16 | (uint32_t)data[4] << 24;
	if (is_aio) {
		ar.nr = 1 + (w & 0xfff);
		ar.start = ar.head = ar.tail = (w >> 12) % ar.nr;
		cap = ar.nr;	/* the FIFO's size; the ring holds nr - 1 */
	} else {
		ur.entries = 1u << ((data[0] >> 1) & 15);
		ur.mask = ur.entries - 1;
		ur.start = (w & 1) ? w :
			   (uint32_t)0 - 1 - (w >> 1) % (4 * ur.entries + 64);
		ur.head = ur.tail = ur.start;
		cap = ur.entries;
	}
	/*
	 * slots[] keeps an earlier input's values: harmless, since a slot is
	 * read only after its index was checked against the model, and the
	 * model says this input wrote it (and the salt differs per input).
	 */
	wpos = rpos = 0;
	salt = (uint64_t)w << 32 | data[0];
	unit = cap / 32 ? cap / 32 : 1;

	for (size_t i = 5; i < size; i++) {
		uint32_t op = data[i] >> 6, a = data[i] & 63, n;
		bool produce;

		switch (op) {
		case 0:
		case 1:
			produce = op == 0;
			n = a;
			break;
		case 2:
			produce = a & 32;
			n = ((a & 31) + 1) * unit;
			break;
		default:
			if (is_aio)
				aio_scan(&ar, a * count() / 64);
			else
				uring_scan(&ur, a * count() / 64);
			continue;
		}
		for (uint32_t k = 0; k < n; k++) {
			bool moved;

			if (is_aio)
				moved = produce ? aio_produce(&ar) : aio_consume(&ar);
			else
				moved = produce ? uring_produce(&ur) :
						  uring_consume(&ur);
			if (!moved) {
				/* The ring said full or empty: so must the model. */
				ASSERT(count() == (produce ? (is_aio ? cap - 1 : cap) : 0));
				break;
			}
		}
	}
	if (is_aio)
		aio_check(&ar);
	else
		uring_check(&ur);
	return 0;
}
