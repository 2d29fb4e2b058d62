#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include "core/tracepipe.h"
#include "unit.h"

static struct tracepipe_line parse(const char *s, bool *ok)
{
	struct tracepipe_line l;

	*ok = tracepipe_parse(s, strlen(s), &l);
	return l;
}

static const char *field(const char *p, size_t n)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%.*s", (int)n, p);
	return buf[i];
}

#define COMM(l) field((l).comm, (l).comm_len)
#define FLAGS(l) field((l).flags, (l).flags_len)
#define EVENT(l) field((l).event, (l).event_len)
#define MSG(l) field((l).message, (l).message_len)

/* Lines as this kernel (6.18) writes them. */
TEST(tracepipe_bpf_printk_line)
{
	bool ok;
	struct tracepipe_line l = parse("        snoopbox-12566   [000] ...21  1121.480619: "
					"bpf_trace_printk: BPF triggered from PID 12566", &ok);

	CHECK(ok);
	CHECK_STR(COMM(l), "snoopbox");
	CHECK(l.pid == 12566);
	CHECK(l.tgid == -1);
	CHECK(l.cpu == 0);
	CHECK_STR(FLAGS(l), "...21");
	CHECK(l.timestamp > 1121.480618 && l.timestamp < 1121.480620);
	CHECK_STR(EVENT(l), "bpf_trace_printk");
	CHECK_STR(MSG(l), "BPF triggered from PID 12566");
}

TEST(tracepipe_uncached_comm)
{
	bool ok;
	struct tracepipe_line l = parse("           <...>-12566   [000] ...21  1120.477748: "
					"bpf_trace_printk: BPF triggered from PID 12566\n", &ok);

	CHECK(ok);
	CHECK_STR(COMM(l), "<...>");
	CHECK(l.pid == 12566);
	CHECK_STR(MSG(l), "BPF triggered from PID 12566");
}

TEST(tracepipe_comm_with_dashes_and_spaces)
{
	bool ok;
	struct tracepipe_line l = parse("    sbbench-open-9777    [001] ...21  1126.947811: "
					"bpf_trace_printk: Hello, World! from sbbench-open 9777", &ok);

	CHECK(ok);
	CHECK_STR(COMM(l), "sbbench-open");
	CHECK(l.pid == 9777);
	CHECK(l.cpu == 1);

	l = parse(" Web Content-1-2-77 [003] d..2. 5.000001: bpf_trace_printk: x", &ok);
	CHECK(ok);
	CHECK_STR(COMM(l), "Web Content-1-2");
	CHECK(l.pid == 77);
	CHECK(l.cpu == 3);
	CHECK_STR(FLAGS(l), "d..2.");
}

/* Before 5.13 the flags had four characters. */
TEST(tracepipe_old_flags_and_idle)
{
	bool ok;
	struct tracepipe_line l = parse("          <idle>-0       [001] d.h1   42.000100: "
					"bpf_trace_printk: tick", &ok);

	CHECK(ok);
	CHECK_STR(COMM(l), "<idle>");
	CHECK(l.pid == 0);
	CHECK_STR(FLAGS(l), "d.h1");
	CHECK_STR(MSG(l), "tick");
}

/* With the irq-info option off there are no flags at all. */
TEST(tracepipe_no_flags)
{
	bool ok;
	struct tracepipe_line l = parse("            bash-1977  [000]   293.228681: "
					"bpf_trace_printk: hi", &ok);

	CHECK(ok);
	CHECK_STR(FLAGS(l), "");
	CHECK(l.timestamp > 293.2286 && l.timestamp < 293.2287);
	CHECK_STR(MSG(l), "hi");
}

/* With the record-tgid option the tgid comes after the pid. */
TEST(tracepipe_record_tgid)
{
	bool ok;
	struct tracepipe_line l = parse("            bash-1980    (   1977) [000] ..... "
					"  293.228681: bpf_trace_printk: t", &ok);

	CHECK(ok);
	CHECK(l.pid == 1980);
	CHECK(l.tgid == 1977);
	CHECK_STR(FLAGS(l), ".....");

	l = parse("   kworker/0:1-12      (-------) [000] ..... 1.000000: bpf_trace_printk: t", &ok);
	CHECK(ok);
	CHECK_STR(COMM(l), "kworker/0:1");
	CHECK(l.tgid == -1);
}

/* The message is the user's: it may look like a header itself. */
TEST(tracepipe_message_is_opaque)
{
	bool ok;
	struct tracepipe_line l = parse("  a-5 [000] ..... 1.5: bpf_trace_printk: b-6 [001] ..... 2.5: x: y",
					&ok);

	CHECK(ok);
	CHECK_STR(COMM(l), "a");
	CHECK(l.pid == 5);
	CHECK_STR(MSG(l), "b-6 [001] ..... 2.5: x: y");

	l = parse("  a-5 [000] ..... 1.5: bpf_trace_printk: ", &ok);
	CHECK(ok);
	CHECK_STR(EVENT(l), "bpf_trace_printk");
	CHECK_STR(MSG(l), "");
}

/* Other clocks (counter, x86-tsc) print a plain integer; other tracers
 * print no "event:" at all. */
TEST(tracepipe_counter_clock_and_function_tracer)
{
	bool ok;
	struct tracepipe_line l = parse("  bash-7 [000] ..... 123456789: do_sys_open <-__x64_sys_openat",
					&ok);

	CHECK(ok);
	CHECK(l.timestamp == 123456789.0);
	CHECK_STR(EVENT(l), "");
	CHECK_STR(MSG(l), "do_sys_open <-__x64_sys_openat");
}

TEST(tracepipe_not_a_line)
{
	bool ok;
	int cpu = -1;
	unsigned long long lost = 0;

	parse("CPU:1 [LOST 12 EVENTS]", &ok);
	CHECK(!ok);
	CHECK(tracepipe_parse_lost("CPU:1 [LOST 12 EVENTS]", 22, &cpu, &lost));
	CHECK(cpu == 1 && lost == 12);
	CHECK(!tracepipe_parse_lost("CPU:1 [LOST 12", 14, &cpu, &lost));
	parse("", &ok);
	CHECK(!ok);
	parse("no header here", &ok);
	CHECK(!ok);
	parse("  a-5 [000] ..... 1.5x: bpf_trace_printk: y", &ok);
	CHECK(!ok);
	parse("  a-5 [000]", &ok);
	CHECK(!ok);
	parse("  a-99999999999 [000] ..... 1.5: e: y", &ok);
	CHECK(!ok);
}

TEST(tracepipe_json_record)
{
	const char *s = "  my comm-42 [001] d..31 7.250000: bpf_trace_printk: say \"hi\"\x01";
	struct tracepipe_line l;
	struct output o;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	CHECK(tracepipe_parse(s, strlen(s), &l));
	output_init(&o, f, true);
	tracepipe_output(&o, &l, s, strlen(s));
	fclose(f);
	CHECK_STR(buf, "{\"comm\":\"my comm\",\"pid\":42,\"cpu\":1,\"flags\":\"d..31\","
		       "\"timestamp\":7.250000,\"event\":\"bpf_trace_printk\","
		       "\"message\":\"say \\\"hi\\\"\\u0001\"}\n");
	free(buf);
}
