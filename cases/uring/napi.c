// SPDX-License-Identifier: MIT
/*
 * uring/napi: IORING_REGISTER_NAPI / IORING_UNREGISTER_NAPI (6.9, struct
 * io_uring_napi), NAPI busy polling of the sockets a ring waits on.
 * Covered: register hands back the settings it replaces, unregister hands
 * back the settings in force and clears them (a NULL argument allowed),
 * the reserved fields, nr_args, IORING_SETUP_IOPOLL rings (EINVAL), the
 * opcode and op_param fields of 6.13 (unknown opcode or tracking strategy
 * EINVAL), and static tracking (IO_URING_NAPI_TRACKING_STATIC with
 * IO_URING_NAPI_STATIC_ADD_ID / _DEL_ID): an id is taken without being
 * looked up, a duplicate gets EEXIST, an id below the first NAPI id
 * EINVAL, deleting an id not listed ENOENT, and the id opcodes outside
 * static tracking EINVAL. Busy polling itself needs a NIC with NAPI and
 * is not exercised. A kernel without CONFIG_NET_RX_BUSY_POLL refuses both
 * opcodes with EOPNOTSUPP (environment), one before 6.9 with EINVAL.
 * Sources: io_uring_register_napi(3), <linux/io_uring.h> struct
 * io_uring_napi, kernel commits ef1186c1a875 ("io_uring: add
 * register/unregister napi function", 6.9) and 6bf90bd8c58a
 * ("io_uring/napi: add static napi tracking strategy", 6.13),
 * io_uring/napi.c.
 */
#include <liburing.h>
#include <ref/uapi.h>

#include "conform_uring.h"

/* A NAPI id no NAPI instance has, but a valid one: ids start above
 * NR_CPUS (MIN_NAPI_ID = NR_CPUS + 1; at most 8192 CPUs on the kernels
 * tested). */
enum { UNLISTED_NAPI_ID = 0x40000000 };

static struct ref_io_uring_napi napi_arg(unsigned int busy_poll_to,
					 unsigned int prefer, unsigned int opcode,
					 unsigned int op_param)
{
	struct ref_io_uring_napi n;

	memset(&n, 0, sizeof(n));
	n.busy_poll_to = busy_poll_to;
	n.prefer_busy_poll = (__u8)prefer;
	n.opcode = (__u8)opcode;
	n.op_param = op_param;
	return n;
}

static int napi_register(struct io_uring *ring, struct ref_io_uring_napi *n)
{
	return uring_register_raw(ring, REF_IORING_REGISTER_NAPI, n, 1);
}

static int napi_unregister(struct io_uring *ring, struct ref_io_uring_napi *n)
{
	return uring_register_raw(ring, REF_IORING_UNREGISTER_NAPI, n, 1);
}

/*
 * NULL if IORING_REGISTER_NAPI of n succeeds on a new ring; else why not,
 * naming what. EOPNOTSUPP is a kernel built without
 * CONFIG_NET_RX_BUSY_POLL: a config option, so an environment skip.
 */
static const char *napi_variant_missing(struct ref_io_uring_napi n,
					const char *what)
{
	const char *why = conform_uring_unavailable();
	struct io_uring ring;
	int ret, err;

	if (why)
		return why;
	if (io_uring_queue_init(2, &ring, 0))
		return CONFORM_ENV "io_uring_queue_init failed";
	ret = napi_register(&ring, &n);
	err = errno;
	io_uring_queue_exit(&ring);
	if (ret == 0)
		return NULL;
	if (err == EOPNOTSUPP)
		snprintf(conform_why, sizeof(conform_why),
			 CONFORM_ENV "%s: EOPNOTSUPP (kernel built without CONFIG_NET_RX_BUSY_POLL)",
			 what);
	else
		snprintf(conform_why, sizeof(conform_why),
			 "%s: registering opcode %u op_param %u failed: %s (not supported by this kernel)",
			 what, n.opcode, n.op_param, strerror(err));
	return conform_why;
}

#define REQUIRE_NAPI()                                                         \
	CONFORM_REQUIRE(napi_variant_missing(napi_arg(0, 0, 0, 0),             \
					     "IORING_REGISTER_NAPI"))
#define REQUIRE_NAPI_STATIC()                                                  \
	REQUIRE_NAPI();                                                        \
	CONFORM_REQUIRE(napi_variant_missing(                                  \
		napi_arg(0, 0, REF_IO_URING_NAPI_REGISTER_OP,                  \
			 REF_IO_URING_NAPI_TRACKING_STATIC),                   \
		"IO_URING_NAPI_TRACKING_STATIC"))

/* Does this kernel know the 6.13 tracking strategies (op_param)? */
static bool napi_has_tracking(void)
{
	return !napi_variant_missing(napi_arg(0, 0, REF_IO_URING_NAPI_REGISTER_OP,
					      REF_IO_URING_NAPI_TRACKING_STATIC),
				     "IO_URING_NAPI_TRACKING_STATIC");
}

/*
 * io_uring/napi.c io_register_napi: the argument is copied back holding
 * the settings being replaced (busy_poll_to, prefer_busy_poll; since 6.13
 * op_param the tracking mode, IO_URING_NAPI_TRACKING_INACTIVE (255) while
 * none is registered, 0 on 6.9 to 6.12 where the word was reserved): a
 * second registration reads back the first's values (since 6.9).
 */
TEST(register_returns_the_settings_it_replaces)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;
	bool tracking;

	CONFORM_DECLARE("6.9", "IORING_REGISTER_NAPI",
			"io_uring/napi.c io_register_napi copy_to_user(curr); "
			"io_uring_register_napi(3)");
	REQUIRE_NAPI();
	tracking = napi_has_tracking();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 1, 0, 0);
	ASSERT_EQ(0, napi_register(&ring, &n));
	EXPECT_EQ(0, n.prefer_busy_poll);
	EXPECT_EQ(tracking ? REF_IO_URING_NAPI_TRACKING_INACTIVE : 0,
		  (int)n.op_param);
	n = napi_arg(200, 0, 0, 0);
	ASSERT_EQ(0, napi_register(&ring, &n));
	EXPECT_EQ(100u, n.busy_poll_to);
	EXPECT_EQ(1, n.prefer_busy_poll);
	EXPECT_EQ(tracking ? REF_IO_URING_NAPI_TRACKING_DYNAMIC : 0,
		  (int)n.op_param);
	EXPECT_EQ(0, n.opcode);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/napi.c io_unregister_napi: "If arg has been specified copy the
 * busy poll timeout and prefer busy poll setting to the passed in
 * structure", then busy polling is off: a second unregister reads back
 * zeroes (since 6.9).
 */
TEST(unregister_returns_settings_in_force_and_clears_them)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.9", "IORING_UNREGISTER_NAPI",
			"io_uring/napi.c io_unregister_napi; "
			"io_uring_unregister_napi(3)");
	REQUIRE_NAPI();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 1, 0, 0);
	ASSERT_EQ(0, napi_register(&ring, &n));
	memset(&n, 0, sizeof(n));
	EXPECT_EQ(0, napi_unregister(&ring, &n));
	EXPECT_EQ(100u, n.busy_poll_to);
	EXPECT_EQ(1, n.prefer_busy_poll);
	memset(&n, 0xff, sizeof(n));
	EXPECT_EQ(0, napi_unregister(&ring, &n));
	EXPECT_EQ(0u, n.busy_poll_to);
	EXPECT_EQ(0, n.prefer_busy_poll);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/napi.c io_unregister_napi: the argument is optional ("If arg
 * has been specified"); IORING_UNREGISTER_NAPI with a NULL argument
 * succeeds. nr_args must still be 1, else EINVAL (io_uring/register.c)
 * (since 6.9).
 */
TEST(unregister_without_argument_succeeds)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.9", "IORING_UNREGISTER_NAPI",
			"io_uring/napi.c io_unregister_napi; io_uring/register.c");
	REQUIRE_NAPI();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 1, 0, 0);
	ASSERT_EQ(0, napi_register(&ring, &n));
	EXPECT_EQ(0, uring_register_raw(&ring, REF_IORING_UNREGISTER_NAPI,
					NULL, 1));
	EXPECT_EQ(-1, uring_register_raw(&ring, REF_IORING_UNREGISTER_NAPI,
					 &n, 0));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/register.c: IORING_REGISTER_NAPI takes exactly one struct
 * io_uring_napi; no argument, or nr_args other than 1, gets EINVAL (since
 * 6.9).
 */
TEST(register_without_argument_or_nr_args_not_one_gets_einval)
{
	struct ref_io_uring_napi n = napi_arg(100, 0, 0, 0);
	struct io_uring ring;

	CONFORM_DECLARE("6.9", "IORING_REGISTER_NAPI",
			"io_uring/register.c __io_uring_register "
			"IORING_REGISTER_NAPI");
	REQUIRE_NAPI();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-1, uring_register_raw(&ring, REF_IORING_REGISTER_NAPI,
					 NULL, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uring_register_raw(&ring, REF_IORING_REGISTER_NAPI,
					 &n, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uring_register_raw(&ring, REF_IORING_REGISTER_NAPI,
					 &n, 2));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring.h> struct io_uring_napi: pad and resv are reserved;
 * io_register_napi refuses a non-zero one with EINVAL (since 6.9; the
 * pad[0] and resv of the 6.13 layout are pad[1] and the upper half of
 * resv in 6.9's, reserved on both).
 */
TEST(nonzero_pad_or_resv_gets_einval)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.9", "IORING_REGISTER_NAPI",
			"linux/io_uring.h struct io_uring_napi pad resv; "
			"io_uring/napi.c io_register_napi");
	REQUIRE_NAPI();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 0, 0, 0);
	n.pad[0] = 1;
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	n = napi_arg(100, 0, 0, 0);
	n.resv = 1;
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/napi.c io_register_napi: a ring created with
 * IORING_SETUP_IOPOLL cannot busy poll NAPI: EINVAL (since 6.9).
 */
TEST(iopoll_ring_gets_einval)
{
	struct ref_io_uring_napi n = napi_arg(100, 0, 0, 0);
	struct io_uring ring;

	CONFORM_DECLARE("6.9", "IORING_REGISTER_NAPI",
			"io_uring/napi.c io_register_napi IORING_SETUP_IOPOLL");
	REQUIRE_NAPI();
	CONFORM_REQUIRE_URING_SETUP(IORING_SETUP_IOPOLL);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, IORING_SETUP_IOPOLL));
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring.h> enum io_uring_napi_op: the opcode byte is
 * IO_URING_NAPI_REGISTER_OP, _STATIC_ADD_ID or _STATIC_DEL_ID; any other
 * gets EINVAL, as does an op_param of REGISTER_OP that is no
 * io_uring_napi_tracking_strategy (since 6.9: on 6.9 to 6.12 both fields
 * were reserved, refused when non-zero; 6.13 gave them meanings).
 */
TEST(unknown_opcode_or_tracking_strategy_gets_einval)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.9", "IORING_REGISTER_NAPI",
			"linux/io_uring.h enum io_uring_napi_op, "
			"io_uring_napi_tracking_strategy; io_uring/napi.c");
	REQUIRE_NAPI();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 0, 3, 0);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	n = napi_arg(100, 0, REF_IO_URING_NAPI_REGISTER_OP, 7);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring.h> IO_URING_NAPI_STATIC_ADD_ID: under static tracking
 * the application lists the NAPI ids to poll; the id is taken as given,
 * without looking for such a NAPI instance (0 for an id no device has),
 * and listing it twice gets EEXIST (io_uring/napi.c __io_napi_add_id)
 * (since 6.13).
 */
TEST(static_add_id_takes_unlisted_id_and_refuses_duplicate)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IO_URING_NAPI_STATIC_ADD_ID",
			"linux/io_uring.h io_uring_napi_op; io_uring/napi.c "
			"__io_napi_add_id");
	REQUIRE_NAPI_STATIC();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 0, REF_IO_URING_NAPI_REGISTER_OP,
		     REF_IO_URING_NAPI_TRACKING_STATIC);
	ASSERT_EQ(0, napi_register(&ring, &n));
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_ADD_ID, UNLISTED_NAPI_ID);
	EXPECT_EQ(0, napi_register(&ring, &n));
	/* The settings handed back show static tracking in force. */
	EXPECT_EQ(REF_IO_URING_NAPI_TRACKING_STATIC, (int)n.op_param);
	EXPECT_EQ(100u, n.busy_poll_to);
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_ADD_ID, UNLISTED_NAPI_ID);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EEXIST, errno);
	io_uring_queue_exit(&ring);
}

/*
 * io_uring/napi.c __io_napi_add_id / __io_napi_del_id: "Non-NAPI IDs can
 * be rejected": an id below the first NAPI id (ids up to NR_CPUS are
 * sender_cpu values, not NAPI ids) gets EINVAL for ADD_ID and DEL_ID
 * (since 6.13).
 */
TEST(static_id_below_min_napi_id_gets_einval)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IO_URING_NAPI_STATIC_ADD_ID",
			"io_uring/napi.c __io_napi_add_id MIN_NAPI_ID");
	REQUIRE_NAPI_STATIC();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 0, REF_IO_URING_NAPI_REGISTER_OP,
		     REF_IO_URING_NAPI_TRACKING_STATIC);
	ASSERT_EQ(0, napi_register(&ring, &n));
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_ADD_ID, 1);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_DEL_ID, 1);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring.h> IO_URING_NAPI_STATIC_DEL_ID removes a listed id (0);
 * an id not in the list gets ENOENT, also the one just removed
 * (io_uring/napi.c __io_napi_del_id) (since 6.13).
 */
TEST(static_del_id_of_unlisted_id_gets_enoent)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IO_URING_NAPI_STATIC_DEL_ID",
			"linux/io_uring.h io_uring_napi_op; io_uring/napi.c "
			"__io_napi_del_id");
	REQUIRE_NAPI_STATIC();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(100, 0, REF_IO_URING_NAPI_REGISTER_OP,
		     REF_IO_URING_NAPI_TRACKING_STATIC);
	ASSERT_EQ(0, napi_register(&ring, &n));
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_DEL_ID, UNLISTED_NAPI_ID + 1);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(ENOENT, errno);
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_ADD_ID, UNLISTED_NAPI_ID);
	ASSERT_EQ(0, napi_register(&ring, &n));
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_DEL_ID, UNLISTED_NAPI_ID);
	EXPECT_EQ(0, napi_register(&ring, &n));
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_DEL_ID, UNLISTED_NAPI_ID);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(ENOENT, errno);
	io_uring_queue_exit(&ring);
}

/*
 * <linux/io_uring.h>: "opcodes to update napi_list when static tracking
 * is used": ADD_ID and DEL_ID on a ring with no tracking registered, or
 * with dynamic tracking, get EINVAL (io_uring/napi.c io_register_napi)
 * (since 6.13).
 */
TEST(static_id_opcodes_without_static_tracking_get_einval)
{
	struct ref_io_uring_napi n;
	struct io_uring ring;

	CONFORM_DECLARE("6.13", "IO_URING_NAPI_STATIC_ADD_ID",
			"linux/io_uring.h io_uring_napi_op; io_uring/napi.c "
			"io_register_napi");
	REQUIRE_NAPI_STATIC();
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_ADD_ID, UNLISTED_NAPI_ID);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	n = napi_arg(100, 0, REF_IO_URING_NAPI_REGISTER_OP,
		     REF_IO_URING_NAPI_TRACKING_DYNAMIC);
	ASSERT_EQ(0, napi_register(&ring, &n));
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_ADD_ID, UNLISTED_NAPI_ID);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	n = napi_arg(0, 0, REF_IO_URING_NAPI_STATIC_DEL_ID, UNLISTED_NAPI_ID);
	EXPECT_EQ(-1, napi_register(&ring, &n));
	EXPECT_EQ(EINVAL, errno);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
