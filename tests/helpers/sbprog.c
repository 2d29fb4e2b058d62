/* sbprog: BPF programs with exactly known behaviour, for the tests of
 * tracepipe and top.  Raw bpf(2) and hand-written instructions, so it
 * builds static with no clang, libbpf or BTF and runs in the busybox VM.
 *
 *   sbprog printk TEXT
 *       Load a socket filter that calls bpf_trace_printk(TEXT) and run it
 *       twice, 100 ms apart (BPF_PROG_TEST_RUN runs it in this process,
 *       so the lines carry our PID).  Prints "pid=P".  Why twice: the
 *       trace pipe names a task by a comm the kernel saves at a context
 *       switch after the task's first event, and looks it up when the
 *       line is read: a reader quick enough sees "<...>" on the first
 *       line, never on the second.
 *   sbprog run NAME COUNT HOLD_MS
 *       Load a socket filter named NAME that does nothing, print
 *       "id=ID pid=P", run it COUNT times with BPF_PROG_TEST_RUN, keep it
 *       loaded HOLD_MS more milliseconds, and exit (which unloads it).
 * Exit 0 on success, 1 if the kernel refused, 2 on bad usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>

#define MAX_TEXT 120

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };

	return i;
}

static int load(const char *name, const struct bpf_insn *insns, int n)
{
	static char log[65536];
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = n;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	snprintf(attr.prog_name, sizeof(attr.prog_name), "%s", name);
	fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		fprintf(stderr, "sbprog: loading %s failed: %s\n%s", name, strerror(errno), log);
		exit(1);
	}
	return fd;
}

static void test_run(int fd, uint32_t repeat)
{
	unsigned char packet[64] = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = fd;
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	attr.test.repeat = repeat;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr)) {
		fprintf(stderr, "sbprog: BPF_PROG_TEST_RUN failed: %s\n", strerror(errno));
		exit(1);
	}
}

static int cmd_printk(const char *text)
{
	struct bpf_insn p[2 * (MAX_TEXT / 8 + 1) * 2 + 8];
	char buf[MAX_TEXT + 8] = { 0 };
	size_t len = strlen(text) + 1, chunks = (len + 7) / 8;
	int n = 0, fd;

	/* bpf_trace_printk() reads TEXT as a format. */
	if (len > MAX_TEXT || strchr(text, '%')) {
		fprintf(stderr, "sbprog: TEXT must be shorter than %d bytes and hold no '%%'\n",
			MAX_TEXT);
		return 2;
	}
	memcpy(buf, text, len);
	/* The text goes on the stack 8 bytes at a time, as the helper wants
	 * a pointer to the program's own memory. */
	for (size_t c = 0; c < chunks; c++) {
		uint64_t v;

		memcpy(&v, buf + 8 * c, 8);
		p[n++] = insn(BPF_LD | BPF_DW | BPF_IMM, 1, 0, 0, (int32_t)(uint32_t)v);
		p[n++] = insn(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
		p[n++] = insn(BPF_STX | BPF_DW | BPF_MEM, 10, 1, -(int16_t)(8 * (chunks - c)), 0);
	}
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, -(int32_t)(8 * chunks));
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, (int32_t)len);
	p[n++] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_trace_printk);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	fd = load("sbprog_printk", p, n);
	printf("pid=%d\n", getpid());
	fflush(stdout);
	test_run(fd, 1);
	nanosleep(&(struct timespec){ .tv_nsec = 100000000L }, NULL);
	test_run(fd, 1);
	close(fd);
	return 0;
}

static int cmd_run(const char *name, const char *count, const char *hold_ms)
{
	struct bpf_insn p[2] = {
		insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
		insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	struct bpf_prog_info info;
	union bpf_attr attr;
	struct timespec ts;
	char *end;
	unsigned long n = strtoul(count, &end, 10), ms;
	int fd;

	if (*end || !*count || n > 0xffffffffUL)
		return fprintf(stderr, "sbprog: bad COUNT '%s'\n", count), 2;
	ms = strtoul(hold_ms, &end, 10);
	if (*end || !*hold_ms)
		return fprintf(stderr, "sbprog: bad HOLD_MS '%s'\n", hold_ms), 2;
	fd = load(name, p, 2);
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr))
		return fprintf(stderr, "sbprog: prog info: %s\n", strerror(errno)), 1;
	printf("id=%u pid=%d\n", info.id, getpid());
	fflush(stdout);
	if (n)
		test_run(fd, (uint32_t)n);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "printk"))
		return cmd_printk(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "run"))
		return cmd_run(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: sbprog printk TEXT | sbprog run NAME COUNT HOLD_MS\n");
	return 2;
}
