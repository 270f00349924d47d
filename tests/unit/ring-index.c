// SPDX-License-Identifier: MIT
/*
 * tests/unit/ring-index.c - ref/ring_index.h driven through simulated rings.
 *
 * No syscalls: an io_uring SQ/CQ pair and a Linux AIO event ring live in
 * plain memory, and their counters start just below the point where they
 * wrap, so the 2^32 wrap (io_uring) and the nr-1 -> 0 wrap (AIO) are crossed
 * within microseconds. Every answer of ref_ring_* and ref_aio_ring_* is
 * compared with a model that cannot wrap: 64-bit positions and a FIFO of the
 * values in flight.
 *
 * The io_uring pair has three actors, each moving a random batch per step:
 * the application submits values to the SQ, the "kernel" moves them from the
 * SQ to the CQ (twice the SQ's size, as io_uring sizes it), the application
 * reaps the CQ. The interleaving comes from a fixed-seed generator, so every
 * run is the same. Output is TAP 13; exit 1 when any point fails.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/ring_index.h"

/* ------------------------------------------------------------------ */
/* TAP, one point per property                                         */
/* ------------------------------------------------------------------ */

enum prop {
	P_EMPTY,	/* io_uring: empty exactly at head == tail */
	P_FULL,		/* io_uring: full exactly at entries in flight */
	P_USED,		/* io_uring: used()/space() = in flight; AIO: ready() */
	P_SLOT,		/* the slot (index) of every produced/consumed entry */
	P_FIFO,		/* every value consumed once, in order */
	P_WRAP,		/* the interleavings did cross the wrap */
	NPROP
};

static unsigned long checks[NPROP], errors[NPROP];
static char first_error[NPROP][256];
static unsigned int tap_num, tap_failed;

static void record(enum prop p, const char *fmt, ...)
{
	va_list ap;

	if (errors[p]++)
		return;
	va_start(ap, fmt);
	vsnprintf(first_error[p], sizeof(first_error[p]), fmt, ap);
	va_end(ap);
}

#define CHECK(p, cond, ...)					\
	do {							\
		checks[p]++;					\
		if (!(cond))					\
			record((p), __VA_ARGS__);		\
	} while (0)

static void reset_tally(void)
{
	memset(checks, 0, sizeof(checks));
	memset(errors, 0, sizeof(errors));
}

static bool any_error(void)
{
	for (int p = 0; p < NPROP; p++)
		if (errors[p])
			return true;
	return false;
}

/* Report property p as one TAP point. */
static void point(enum prop p, const char *fmt, ...)
{
	char desc[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	tap_num++;
	if (errors[p] == 0 && checks[p] > 0) {
		printf("ok %u - %s (%lu checks)\n", tap_num, desc, checks[p]);
		return;
	}
	tap_failed++;
	printf("not ok %u - %s\n", tap_num, desc);
	if (checks[p] == 0)
		printf("# nothing was checked\n");
	else
		printf("# %lu of %lu checks failed; first: %s\n", errors[p],
		       checks[p], first_error[p]);
}

/* xorshift64*, fixed seed: the same interleavings on every run. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(uint32_t bound)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % bound;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* the model: a FIFO with 64-bit positions, which never wrap here      */
/* ------------------------------------------------------------------ */

struct model {
	uint64_t *vals;
	uint32_t cap;
	uint64_t wpos, rpos;
};

static uint64_t in_flight(const struct model *m)
{
	return m->wpos - m->rpos;
}

static void model_push(struct model *m, uint64_t v)
{
	m->vals[m->wpos++ % m->cap] = v;
}

static uint64_t model_pop(struct model *m)
{
	return m->vals[m->rpos++ % m->cap];
}

/* ------------------------------------------------------------------ */
/* a simulated io_uring ring: free-running u32 head and tail            */
/* ------------------------------------------------------------------ */

struct sim {
	const char *name;
	uint32_t entries, mask;
	uint32_t start, head, tail;
	uint64_t *slots;
	struct model m;
	bool head_wrapped, tail_wrapped;	/* crossed 2^32 */
	bool full_after_wrap, empty_after_wrap;
};

static void sim_init(struct sim *r, const char *name, uint32_t entries)
{
	r->name = name;
	r->entries = entries;
	r->mask = entries - 1;
	r->slots = xcalloc(entries, sizeof(*r->slots));
	r->m.vals = xcalloc(entries, sizeof(*r->m.vals));
	r->m.cap = entries;
}

static void sim_free(struct sim *r)
{
	free(r->slots);
	free(r->m.vals);
}

static void sim_reset(struct sim *r, uint32_t start)
{
	r->start = r->head = r->tail = start;
	r->m.wpos = r->m.rpos = 0;
	r->head_wrapped = r->tail_wrapped = false;
	r->full_after_wrap = r->empty_after_wrap = false;
}

/* The slot the model says position pos of this run must use. */
static uint32_t sim_want_slot(const struct sim *r, uint64_t pos)
{
	return (uint32_t)(((uint64_t)r->start + pos) % r->entries);
}

/* Everything the ring says about head and tail, against the model. */
static void sim_check(const struct sim *r)
{
	uint64_t n = in_flight(&r->m);
	uint32_t used = ref_ring_used(r->head, r->tail);
	uint32_t space = ref_ring_space(r->head, r->tail, r->entries);
	bool full = ref_ring_full(r->head, r->tail, r->entries);

	CHECK(P_USED, used == n && space == r->entries - n,
	      "%s[%u] head=%#" PRIx32 " tail=%#" PRIx32 ": used %u space %u, "
	      "model %" PRIu64 " in flight", r->name, r->entries, r->head,
	      r->tail, used, space, n);
	CHECK(P_FULL, full == (n == r->entries),
	      "%s[%u] head=%#" PRIx32 " tail=%#" PRIx32 ": full() %d with %"
	      PRIu64 " in flight", r->name, r->entries, r->head, r->tail, full, n);
	if (r->head == r->tail || n == 0)
		CHECK(P_EMPTY, r->head == r->tail && n == 0 && used == 0 &&
		      !full && space == r->entries,
		      "%s[%u] head=%#" PRIx32 " tail=%#" PRIx32 ": model %" PRIu64
		      " in flight, used %u full %d space %u", r->name,
		      r->entries, r->head, r->tail, n, used, full, space);
}

/* Produce v as a real producer would: refuse when ref_ring_full() says so. */
static bool sim_push(struct sim *r, uint64_t v)
{
	uint64_t n = in_flight(&r->m);
	uint32_t slot, want;

	sim_check(r);
	/* A disagreement is recorded above; the model keeps memory safe. */
	if (ref_ring_full(r->head, r->tail, r->entries) || n == r->entries)
		return false;
	slot = ref_ring_slot(r->tail, r->mask);
	want = sim_want_slot(r, r->m.wpos);
	CHECK(P_SLOT, slot == want, "%s[%u] produce at tail=%#" PRIx32
	      ": slot %u, want %u", r->name, r->entries, r->tail, slot, want);
	if (slot >= r->entries)
		return false;
	r->slots[slot] = v;
	model_push(&r->m, v);
	if (++r->tail == 0)
		r->tail_wrapped = true;
	if (r->head_wrapped && r->tail_wrapped && n + 1 == r->entries)
		r->full_after_wrap = true;
	return true;
}

/* Consume the oldest entry as a real consumer would. */
static bool sim_pop(struct sim *r, uint64_t *v)
{
	uint64_t n = in_flight(&r->m), want_v;
	uint32_t slot, want;

	sim_check(r);
	if (ref_ring_used(r->head, r->tail) == 0 || n == 0)
		return false;
	slot = ref_ring_slot(r->head, r->mask);
	want = sim_want_slot(r, r->m.rpos);
	CHECK(P_SLOT, slot == want, "%s[%u] consume at head=%#" PRIx32
	      ": slot %u, want %u", r->name, r->entries, r->head, slot, want);
	want_v = model_pop(&r->m);
	*v = slot < r->entries ? r->slots[slot] : ~want_v;
	CHECK(P_FIFO, *v == want_v, "%s[%u] consume at head=%#" PRIx32
	      ": value %#" PRIx64 ", want %#" PRIx64, r->name, r->entries,
	      r->head, *v, want_v);
	if (++r->head == 0)
		r->head_wrapped = true;
	if (r->head_wrapped && r->tail_wrapped && n == 1)
		r->empty_after_wrap = true;
	return true;
}

static bool sim_wrapped(const struct sim *r)
{
	return r->head_wrapped && r->tail_wrapped && r->full_after_wrap &&
	       r->empty_after_wrap;
}

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* A start counter at most span below 2^32 (never 0: it must wrap). */
static uint32_t near_wrap(uint32_t span)
{
	return (uint32_t)0 - 1 - rnd(span);
}

struct pair_run {
	struct sim sq, cq;
	uint64_t salt, sent, reaped;
};

/* The application reaps up to n CQEs: as many as ref_ring_used() reports. */
static void app_reap(struct pair_run *p, uint32_t n)
{
	uint32_t used = ref_ring_used(p->cq.head, p->cq.tail);
	uint32_t batch = n < used ? n : used;
	uint64_t v;

	for (uint32_t i = 0; i < batch; i++) {
		if (!sim_pop(&p->cq, &v))
			break;
		CHECK(P_FIFO, v == (p->reaped ^ p->salt), "reaped value %#"
		      PRIx64 " is not submission %" PRIu64, v, p->reaped);
		p->reaped++;
	}
}

/* The "kernel" moves up to n: min(SQEs used, CQ space), like a batch. */
static void kernel_move(struct pair_run *p, uint32_t n)
{
	uint32_t batch = min3(n, ref_ring_used(p->sq.head, p->sq.tail),
			      ref_ring_space(p->cq.head, p->cq.tail, p->cq.entries));
	uint64_t v;

	for (uint32_t i = 0; i < batch; i++) {
		if (in_flight(&p->cq.m) == p->cq.entries || !sim_pop(&p->sq, &v))
			break;
		CHECK(P_FIFO, sim_push(&p->cq, v), "CQ[%u] refused a CQE with %"
		      PRIu64 " in flight", p->cq.entries, in_flight(&p->cq.m));
	}
}

static void app_submit(struct pair_run *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (!sim_push(&p->sq, p->sent ^ p->salt))
			break;
		p->sent++;
	}
}

/*
 * One interleaving: run until both rings' heads and tails crossed 2^32 and
 * each ring was full and empty again after that, then drain.
 */
static void pair_round(struct pair_run *p, uint32_t sq_start, uint32_t cq_start)
{
	uint32_t burst = p->sq.entries / 2 + 2;
	unsigned long step, max_steps = 200000;
	bool fill = true;

	sim_reset(&p->sq, sq_start);
	sim_reset(&p->cq, cq_start);
	p->salt = (uint64_t)rnd(UINT32_MAX) << 32 | rnd(UINT32_MAX);
	p->sent = p->reaped = 0;
	for (step = 0; step < max_steps; step++) {
		uint32_t who = rnd(7), n = 1 + rnd(burst);

		if (sim_wrapped(&p->sq) && sim_wrapped(&p->cq))
			break;
		/* fill: submit 4, move 2, reap 1; drain: the other way round */
		if (fill ? who < 4 : who < 1)
			app_submit(p, n);
		else if (fill ? who < 6 : who < 3)
			kernel_move(p, n);
		else
			app_reap(p, n);
		if (fill && in_flight(&p->sq.m) == p->sq.entries &&
		    in_flight(&p->cq.m) == p->cq.entries)
			fill = false;
		else if (!fill && in_flight(&p->sq.m) == 0 &&
			 in_flight(&p->cq.m) == 0)
			fill = true;
		else if (rnd(32) == 0)
			fill = !fill;
	}
	CHECK(P_WRAP, step < max_steps, "SQ[%u] from %#" PRIx32 ", CQ from %#"
	      PRIx32 ": not across the wrap, full and empty after %lu steps "
	      "(SQ head %d tail %d full %d empty %d; CQ head %d tail %d full %d "
	      "empty %d)", p->sq.entries, sq_start, cq_start, step,
	      p->sq.head_wrapped, p->sq.tail_wrapped, p->sq.full_after_wrap,
	      p->sq.empty_after_wrap, p->cq.head_wrapped, p->cq.tail_wrapped,
	      p->cq.full_after_wrap, p->cq.empty_after_wrap);
	for (step = 0; step < max_steps && p->reaped < p->sent; step++) {
		kernel_move(p, p->cq.entries);
		app_reap(p, p->cq.entries);
	}
	CHECK(P_FIFO, p->reaped == p->sent, "SQ[%u]: %" PRIu64 " submitted, %"
	      PRIu64 " reaped", p->sq.entries, p->sent, p->reaped);
}

/* Fill from just below 2^32: not full before entries, full exactly then. */
static void fill_to_full(uint32_t entries)
{
	struct sim r;
	uint32_t start = (uint32_t)0 - (entries / 2 + 1);
	uint32_t k;

	sim_init(&r, "SQ", entries);
	sim_reset(&r, start);
	for (k = 0; k < entries; k++) {
		CHECK(P_FULL, !ref_ring_full(r.head, r.tail, entries) &&
		      ref_ring_space(r.head, r.tail, entries) == entries - k,
		      "after %u of %u pushes from %#" PRIx32 ": full %d space %u",
		      k, entries, start, ref_ring_full(r.head, r.tail, entries),
		      ref_ring_space(r.head, r.tail, entries));
		if (!sim_push(&r, k))
			break;
	}
	CHECK(P_FULL, k == entries && ref_ring_full(r.head, r.tail, entries) &&
	      ref_ring_space(r.head, r.tail, entries) == 0 && r.tail_wrapped,
	      "after %u pushes from %#" PRIx32 " (tail %#" PRIx32 "): full %d "
	      "space %u", k, start, r.tail, ref_ring_full(r.head, r.tail, entries),
	      ref_ring_space(r.head, r.tail, entries));
	sim_free(&r);
}

static void uring_size(uint32_t entries)
{
	struct pair_run p;
	uint32_t rounds = entries >= 32768 ? 4 : entries >= 4096 ? 12 :
			  entries >= 8 ? 300 : 1000;

	reset_tally();
	fill_to_full(entries);
	point(P_FULL, "io_uring %u entries: full() exactly at %u pushes, the "
	      "tail crossing 2^32", entries, entries);
	reset_tally();
	sim_init(&p.sq, "SQ", entries);
	sim_init(&p.cq, "CQ", 2 * entries);
	/* After a round that found errors, more rounds would only repeat them. */
	for (uint32_t i = 0; i < rounds && !any_error(); i++) {
		if (i == 0)
			pair_round(&p, 0xFFFFFF00u, 0xFFFFFF00u);
		else
			pair_round(&p, near_wrap(2 * entries + 256),
				   near_wrap(4 * entries + 256));
	}
	sim_free(&p.sq);
	sim_free(&p.cq);
	point(P_EMPTY, "io_uring SQ %u/CQ %u, %u interleavings: empty exactly "
	      "at head == tail (used 0, not full, space = entries)",
	      entries, 2 * entries, rounds);
	point(P_FULL, "io_uring SQ %u/CQ %u, %u interleavings: full() exactly "
	      "when entries are in flight", entries, 2 * entries, rounds);
	point(P_USED, "io_uring SQ %u/CQ %u, %u interleavings: used() and "
	      "space() match the items in flight", entries, 2 * entries, rounds);
	point(P_SLOT, "io_uring SQ %u/CQ %u, %u interleavings: every entry at "
	      "slot (start + position) mod entries", entries, 2 * entries, rounds);
	point(P_FIFO, "io_uring SQ %u/CQ %u, %u interleavings: every value "
	      "comes out once, in order", entries, 2 * entries, rounds);
	point(P_WRAP, "io_uring SQ %u/CQ %u, %u interleavings: heads and tails "
	      "crossed 2^32, rings full and empty after", entries, 2 * entries,
	      rounds);
}

/* ------------------------------------------------------------------ */
/* a simulated Linux AIO event ring: head, tail in [0, nr)             */
/* ------------------------------------------------------------------ */

/*
 * The kernel keeps one event free (it allows nr - 1 requests in flight), so
 * head == tail always means empty.
 */
struct aio_sim {
	uint32_t nr, start, head, tail;
	uint64_t *events;
	struct model m;
	bool head_wrapped, tail_wrapped, full_after_wrap, empty_after_wrap;
	uint64_t produced;
};

static uint32_t aio_want_index(const struct aio_sim *r, uint64_t pos)
{
	return (uint32_t)(((uint64_t)r->start + pos) % r->nr);
}

static void aio_check(const struct aio_sim *r)
{
	uint64_t n = in_flight(&r->m);
	uint32_t ready = ref_aio_ring_ready(r->head, r->tail, r->nr);

	CHECK(P_USED, ready == n, "AIO[%u] head=%u tail=%u: ready %u, model %"
	      PRIu64, r->nr, r->head, r->tail, ready, n);
	CHECK(P_SLOT, r->head < r->nr && r->tail < r->nr,
	      "AIO[%u] head=%u tail=%u out of range", r->nr, r->head, r->tail);
}

/* Advance an index with ref_aio_ring_next(), checking where it lands. */
static uint32_t aio_advance(struct aio_sim *r, uint32_t idx, uint64_t pos,
			    bool *wrapped)
{
	uint32_t next = ref_aio_ring_next(idx, r->nr);
	uint32_t want = aio_want_index(r, pos + 1);

	CHECK(P_SLOT, next == want, "AIO[%u] next(%u) = %u, want %u", r->nr,
	      idx, next, want);
	if (idx == r->nr - 1)	/* whatever next() made of it */
		*wrapped = true;
	return next < r->nr ? next : want;
}

static bool aio_push(struct aio_sim *r, uint64_t v)
{
	uint64_t n = in_flight(&r->m);
	uint32_t want = aio_want_index(r, r->m.wpos);

	aio_check(r);
	if (ref_aio_ring_ready(r->head, r->tail, r->nr) >= r->nr - 1 ||
	    n >= r->nr - 1)
		return false;
	CHECK(P_SLOT, r->tail == want, "AIO[%u] produce at tail %u, want %u",
	      r->nr, r->tail, want);
	r->events[r->tail] = v;
	model_push(&r->m, v);
	r->tail = aio_advance(r, r->tail, r->m.wpos - 1, &r->tail_wrapped);
	r->produced++;
	if (r->head_wrapped && r->tail_wrapped && n + 1 == r->nr - 1)
		r->full_after_wrap = true;
	return true;
}

static bool aio_pop(struct aio_sim *r, uint64_t *v)
{
	uint64_t n = in_flight(&r->m), want_v;
	uint32_t want = aio_want_index(r, r->m.rpos);

	aio_check(r);
	if (ref_aio_ring_ready(r->head, r->tail, r->nr) == 0 || n == 0)
		return false;
	CHECK(P_SLOT, r->head == want, "AIO[%u] consume at head %u, want %u",
	      r->nr, r->head, want);
	want_v = model_pop(&r->m);
	*v = r->events[r->head];
	CHECK(P_FIFO, *v == want_v, "AIO[%u] consume at head %u: value %#"
	      PRIx64 ", want %#" PRIx64, r->nr, r->head, *v, want_v);
	r->head = aio_advance(r, r->head, r->m.rpos - 1, &r->head_wrapped);
	if (r->head_wrapped && r->tail_wrapped && n == 1)
		r->empty_after_wrap = true;
	return true;
}

static void aio_round(struct aio_sim *r, uint32_t start)
{
	uint32_t burst = r->nr / 2 + 2;
	unsigned long step, max_steps = 100000;
	uint64_t salt = rnd(UINT32_MAX), sent = 0, got = 0, v;
	bool fill = true;

	r->start = r->head = r->tail = start;
	r->m.wpos = r->m.rpos = 0;
	r->head_wrapped = r->tail_wrapped = false;
	r->full_after_wrap = r->empty_after_wrap = false;
	for (step = 0; step < max_steps; step++) {
		uint32_t n = 1 + rnd(burst);

		if (r->head_wrapped && r->tail_wrapped && r->full_after_wrap &&
		    r->empty_after_wrap)
			break;
		if (r->nr == 1 && step == 64)
			break;	/* nothing can ever be in flight */
		if (rnd(4) < (fill ? 3u : 1u)) {
			for (uint32_t i = 0; i < n && aio_push(r, sent ^ salt); i++)
				sent++;
		} else {
			for (uint32_t i = 0; i < n && aio_pop(r, &v); i++) {
				CHECK(P_FIFO, v == (got ^ salt), "AIO[%u] event %#"
				      PRIx64 " is not event %" PRIu64, r->nr, v, got);
				got++;
			}
		}
		if (fill && in_flight(&r->m) == r->nr - 1)
			fill = false;
		else if (!fill && in_flight(&r->m) == 0)
			fill = true;
		else if (rnd(32) == 0)
			fill = !fill;
	}
	if (r->nr == 1)
		CHECK(P_WRAP, r->produced == 0 && r->head == 0 && r->tail == 0,
		      "AIO[1]: %" PRIu64 " events produced, head %u tail %u",
		      r->produced, r->head, r->tail);
	else
		CHECK(P_WRAP, step < max_steps, "AIO[%u] from %u: not across the "
		      "wrap, full and empty after %lu steps (head %d tail %d full "
		      "%d empty %d)", r->nr, start, step, r->head_wrapped,
		      r->tail_wrapped, r->full_after_wrap, r->empty_after_wrap);
	while (aio_pop(r, &v)) {
		CHECK(P_FIFO, v == (got ^ salt), "AIO[%u] event %#" PRIx64
		      " is not event %" PRIu64, r->nr, v, got);
		got++;
	}
	CHECK(P_FIFO, got == sent, "AIO[%u]: %" PRIu64 " produced, %" PRIu64
	      " consumed", r->nr, sent, got);
}

static void aio_size(uint32_t nr)
{
	struct aio_sim r = { .nr = nr };
	uint32_t rounds = 200;

	/* Every (head, tail) pair and every index against modular arithmetic. */
	reset_tally();
	for (uint32_t h = 0; h < nr; h++)
		for (uint32_t t = 0; t < nr; t++) {
			uint32_t got = ref_aio_ring_ready(h, t, nr);
			uint32_t want = (uint32_t)(((uint64_t)t + nr - h) % nr);

			CHECK(P_USED, got == want, "ready(%u, %u, %u) = %u, want %u",
			      h, t, nr, got, want);
		}
	point(P_USED, "AIO nr %u: ready(head, tail) = (tail - head) mod nr for "
	      "all %u pairs", nr, nr * nr);
	reset_tally();
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t got = ref_aio_ring_next(i, nr);

		CHECK(P_SLOT, got == (i + 1) % nr, "next(%u, %u) = %u, want %u",
		      i, nr, got, (i + 1) % nr);
	}
	point(P_SLOT, "AIO nr %u: next(idx) = (idx + 1) mod nr for every index",
	      nr);

	reset_tally();
	r.events = xcalloc(nr, sizeof(*r.events));
	r.m.vals = xcalloc(nr, sizeof(*r.m.vals));
	r.m.cap = nr;
	for (uint32_t i = 0; i < rounds && !any_error(); i++)
		aio_round(&r, i == 0 ? nr - 1 : rnd(nr));
	free(r.events);
	free(r.m.vals);
	point(P_USED, "AIO nr %u, %u interleavings: ready() matches the events "
	      "in flight", nr, rounds);
	point(P_SLOT, "AIO nr %u, %u interleavings: head and tail in "
	      "[0, nr), every event at (start + position) mod nr", nr, rounds);
	point(P_FIFO, "AIO nr %u, %u interleavings: every event comes out "
	      "once, in order", nr, rounds);
	if (nr == 1)
		point(P_WRAP, "AIO nr 1: the ring never holds an event (one is "
		      "kept free)");
	else
		point(P_WRAP, "AIO nr %u, %u interleavings: head and tail crossed "
		      "nr-1 -> 0, ring full (nr-1) and empty after", nr, rounds);
}

/* ------------------------------------------------------------------ */

static const uint32_t uring_sizes[] = { 1, 2, 8, 4096, 32768 };
static const uint32_t aio_sizes[] = { 1, 3, 127, 1000 };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define URING_POINTS 7	/* per size: fill_to_full + 6 properties */
#define AIO_POINTS 6	/* per nr: 2 exhaustive + 4 properties */

int main(void)
{
	unsigned int plan = ARRAY_SIZE(uring_sizes) * URING_POINTS +
			    ARRAY_SIZE(aio_sizes) * AIO_POINTS;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%u\n", plan);
	for (size_t i = 0; i < ARRAY_SIZE(uring_sizes); i++)
		uring_size(uring_sizes[i]);
	for (size_t i = 0; i < ARRAY_SIZE(aio_sizes); i++)
		aio_size(aio_sizes[i]);
	if (tap_num != plan) {
		printf("Bail out! %u points for a plan of %u\n", tap_num, plan);
		return 1;
	}
	printf("# %u of %u points failed\n", tap_failed, plan);
	return tap_failed ? 1 : 0;
}
