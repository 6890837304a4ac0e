// SPDX-License-Identifier: Apache-2.0
/*
 * The floor of an enabled probe: what a hand-written C tracepoint costs. Each iteration does what a woven
 * @Tracepoint method does when its event is on, minus everything Java: load the enable word, test it,
 * encode the same three arguments (int, long, 16-character string) into the same 37-byte payload and
 * write it with one write() system call.
 *
 *   write_floor devnull     [options]   payload to /dev/null (the floor of the agent's mode=devnull)
 *   write_floor user_events [options]   register "bench_floor s32 id;s64 cents;__rel_loc char[] customer"
 *                                       on user_events_data, enable it through tracefs (needs root and a
 *                                       kernel with CONFIG_USER_EVENTS), write to it, unregister
 * options:
 *   --threads N      threads writing at once (default 1); each does the full iteration count
 *   --iterations N   timed writes per run and thread (default 2000000)
 *   --warmup N       untimed writes before the first run (default 200000)
 *   --runs N         timed runs; the median is reported (default 7)
 *   --tracefs DIR    tracefs mount point (default /sys/kernel/tracing)
 *
 * Prints one line of key=value pairs, e.g.
 *   floor target=devnull threads=1 payload_bytes=37 iterations=2000000 runs=7 ns_per_op=171.2 ops_per_us=5.84 all_ns_per_op=...
 * ns_per_op is the median over runs of wall time / (iterations) for one thread, ops_per_us the matching
 * throughput of all threads together.
 *
 * The registration follows tools/testing/selftests/user_events/ftrace_test.c (Linux 6.12).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/ioctl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/*
 * The user_events ABI, from include/uapi/linux/user_events.h (Linux 6.4+). Spelled out here because the
 * build host's kernel headers may predate it (Debian 12 ships 6.1's).
 */
struct user_reg {
	uint32_t size;        /* in: sizeof(struct user_reg) */
	uint8_t enable_bit;   /* in: bit of the enable word the kernel sets while the event is on */
	uint8_t enable_size;  /* in: 4 or 8 */
	uint16_t flags;       /* in: USER_EVENT_REG_* */
	uint64_t enable_addr; /* in: address of the enable word */
	uint64_t name_args;   /* in: address of "name field;field" */
	uint32_t write_index; /* out: first 4 bytes of every write of this event */
} __attribute__((__packed__));

struct user_unreg {
	uint32_t size;
	uint8_t disable_bit;
	uint8_t reserved;
	uint16_t reserved2;
	uint64_t disable_addr;
} __attribute__((__packed__));

#define DIAG_IOC_MAGIC '*'
#define DIAG_IOCSREG _IOWR(DIAG_IOC_MAGIC, 0, struct user_reg *)
#define DIAG_IOCSUNREG _IOW(DIAG_IOC_MAGIC, 2, struct user_unreg *)

#define EVENT_NAME "bench_floor"
#define EVENT_FORMAT EVENT_NAME " s32 id;s64 cents;__rel_loc char[] customer"
#define CUSTOMER "customer-0000001" /* 16 characters, as in the Java benchmarks */
#define MAX_RUNS 64
#define MAX_THREADS 64

/*
 *  0        4     8          16           20                     37
 *  +--------+-----+----------+------------+----------------------+
 *  | write  | id  | cents    | __rel_loc  | "customer-0000001\0"  |
 *  | index  | s32 | s64      | (17 << 16) | 17 bytes             |
 *  +--------+-----+----------+------------+----------------------+
 * The rel_loc offset is counted from the end of the field itself, so it is 0 here.
 */
#define PAYLOAD_BYTES (4 + 4 + 8 + 4 + sizeof(CUSTOMER))

static int fd = -1;
static uint32_t write_index;
/* The enable word: the kernel sets bit 0 while a tracer has the event on; devnull mode sets it itself. */
static volatile uint32_t enable_word;
static long iterations = 2000000, warmup = 200000;
static int runs = 7, threads = 1;
static const char *tracefs = "/sys/kernel/tracing";

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "write_floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* One probe hit: check the word, encode, write. Not inlined, like the woven call into the runtime. */
static __attribute__((noinline)) void probe(unsigned char *payload, int32_t id, int64_t cents, const char *customer)
{
	if (__atomic_load_n(&enable_word, __ATOMIC_RELAXED) & 1) {
		uint32_t rel_loc = (uint32_t)sizeof(CUSTOMER) << 16;

		memcpy(payload, &write_index, 4);
		memcpy(payload + 4, &id, 4);
		memcpy(payload + 8, &cents, 8);
		memcpy(payload + 16, &rel_loc, 4);
		memcpy(payload + 20, customer, sizeof(CUSTOMER));
		if (write(fd, payload, PAYLOAD_BYTES) != (ssize_t)PAYLOAD_BYTES) {
			die("write");
		}
	}
}

static void loop(long count)
{
	unsigned char payload[PAYLOAD_BYTES];

	for (long i = 0; i < count; i++) {
		probe(payload, (int32_t)i, i * 100, CUSTOMER);
	}
}

static pthread_barrier_t start_line;

static void *worker(void *unused)
{
	(void)unused;
	pthread_barrier_wait(&start_line);
	loop(iterations);
	return NULL;
}

/* Wall time of one run: every thread does `iterations` writes. */
static double timed_run(void)
{
	pthread_t ids[MAX_THREADS];
	double start;

	pthread_barrier_init(&start_line, NULL, threads + 1);
	for (int t = 0; t < threads; t++) {
		if (pthread_create(&ids[t], NULL, worker, NULL) != 0) {
			die("pthread_create");
		}
	}
	pthread_barrier_wait(&start_line);
	start = now_ns();
	for (int t = 0; t < threads; t++) {
		pthread_join(ids[t], NULL);
	}
	double elapsed = now_ns() - start;
	pthread_barrier_destroy(&start_line);
	return elapsed;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void write_text(const char *path, const char *text)
{
	int file = open(path, O_WRONLY | O_TRUNC);

	if (file < 0 || write(file, text, strlen(text)) != (ssize_t)strlen(text)) {
		die(path);
	}
	close(file);
}

static void open_user_events(void)
{
	char path[512];
	struct user_reg reg = {0};

	snprintf(path, sizeof(path), "%s/user_events_data", tracefs);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		die(path);
	}
	reg.size = sizeof(reg);
	reg.name_args = (uint64_t)(uintptr_t)EVENT_FORMAT;
	reg.enable_bit = 0;
	reg.enable_size = sizeof(enable_word);
	reg.enable_addr = (uint64_t)(uintptr_t)&enable_word;
	if (ioctl(fd, DIAG_IOCSREG, &reg) == -1) {
		die("DIAG_IOCSREG " EVENT_FORMAT);
	}
	write_index = reg.write_index;
	snprintf(path, sizeof(path), "%s/events/user_events/" EVENT_NAME "/enable", tracefs);
	write_text(path, "1");
	if (!(enable_word & 1)) {
		errno = EINVAL;
		die("the kernel did not set the enable bit after " EVENT_NAME "/enable");
	}
}

static void close_user_events(void)
{
	char path[512];
	struct user_unreg unreg = {0};

	snprintf(path, sizeof(path), "%s/events/user_events/" EVENT_NAME "/enable", tracefs);
	write_text(path, "0");
	unreg.size = sizeof(unreg);
	unreg.disable_bit = 0;
	unreg.disable_addr = (uint64_t)(uintptr_t)&enable_word;
	if (ioctl(fd, DIAG_IOCSUNREG, &unreg) == -1) {
		die("DIAG_IOCSUNREG");
	}
	close(fd);
}

static long number(const char *option, const char *value)
{
	char *end;
	long parsed = value ? strtol(value, &end, 10) : 0;

	if (!value || *end || parsed <= 0) {
		fprintf(stderr, "write_floor: %s needs a positive number\n", option);
		exit(2);
	}
	return parsed;
}

int main(int argc, char **argv)
{
	double elapsed[MAX_RUNS], per_op[MAX_RUNS];
	const char *target = argc > 1 ? argv[1] : "";

	for (int i = 2; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--threads")) {
			threads = (int)number(argv[i], value);
		} else if (!strcmp(argv[i], "--iterations")) {
			iterations = number(argv[i], value);
		} else if (!strcmp(argv[i], "--warmup")) {
			warmup = number(argv[i], value);
		} else if (!strcmp(argv[i], "--runs")) {
			runs = (int)number(argv[i], value);
		} else if (!strcmp(argv[i], "--tracefs") && value) {
			tracefs = value;
		} else {
			fprintf(stderr, "write_floor: unknown option %s\n", argv[i]);
			return 2;
		}
		i++;
	}
	if (runs > MAX_RUNS || threads > MAX_THREADS) {
		fprintf(stderr, "write_floor: at most %d runs and %d threads\n", MAX_RUNS, MAX_THREADS);
		return 2;
	}
	if (!strcmp(target, "devnull")) {
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			die("/dev/null");
		}
		enable_word = 1;
	} else if (!strcmp(target, "user_events")) {
		open_user_events();
	} else {
		fprintf(stderr, "usage: write_floor devnull|user_events [--threads N] [--iterations N] [--warmup N]"
			" [--runs N] [--tracefs DIR]\n");
		return 2;
	}

	loop(warmup);
	for (int r = 0; r < runs; r++) {
		elapsed[r] = timed_run();
		per_op[r] = elapsed[r] / iterations;
	}
	if (!strcmp(target, "user_events")) {
		close_user_events();
	}

	double sorted[MAX_RUNS];
	memcpy(sorted, per_op, sizeof(double) * runs);
	qsort(sorted, runs, sizeof(double), compare_doubles);
	double median = runs % 2 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;

	printf("floor target=%s threads=%d payload_bytes=%zu iterations=%ld runs=%d ns_per_op=%.2f ops_per_us=%.3f all_ns_per_op=",
	       target, threads, PAYLOAD_BYTES, iterations, runs, median, threads * 1000.0 / median);
	for (int r = 0; r < runs; r++) {
		printf("%s%.2f", r ? "," : "", per_op[r]);
	}
	printf("\n");
	return 0;
}
