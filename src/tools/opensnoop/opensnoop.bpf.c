/* opensnoop: every open(2), openat(2), openat2(2) and creat(2) by path.
 *
 * Where it can, opensnoop runs one program per call, at the syscall's
 * exit: the arguments are still in the registers the task saved when it
 * entered the kernel, so there is nothing to remember between entry and
 * exit.  That halves the tracepoints a traced open fires and needs no
 * per-thread storage.  Where the kernel cannot hand a tracepoint program
 * those registers (before 5.15), an entry program remembers the arguments
 * per thread and the exit program pairs them with the result.  Either
 * way, the exit sends one variable-length record.
 *
 * This object carries no CO-RE relocation (the syscall tracepoint layouts
 * below are a stable ABI), so libbpf never has to read the kernel's BTF to
 * load it: that keeps start-up in a few milliseconds and memory small.
 * --full-path needs to walk kernel structures and uses the CO-RE build of
 * the same source, opensnoop_fullpath.bpf.c. */
#ifdef OPENSNOOP_FULL_PATH
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#else
#include <linux/types.h>
#include <linux/bpf.h>
#endif
#include "bpf/snoop.bpf.h"
#include "tools/opensnoop/opensnoop.h"

#define OPENSNOOP_AT_FDCWD -100
#define OPENSNOOP_O_CREAT 0100
#define OPENSNOOP_O_WRONLY 01
#define OPENSNOOP_O_TRUNC 01000

/* One call's arguments, as opensnoop reports them. */
struct opensnoop_call {
	__u64 fname;
	__u64 flags;
	__s32 dfd;
	__u32 mode;
	__u8 syscall;
	__u8 pending;   /* paired variant: entry seen, exit not yet */
};

/* Paired variant: the arguments of the call in flight, per thread.
 * Task-local storage rather than a hash keyed by tid: no hashing, no
 * delete, no table to fill up; it was the largest cost of the exit
 * program.  The verifier resolves bpf_get_current_task_btf() with the
 * kernel's own BTF, so this still needs no CO-RE and libbpf still never
 * reads the kernel BTF. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct opensnoop_call);
} opensnoop_inflight SEC(".maps");

struct opensnoop_record {
	struct opensnoop_event ev;
	char path[OPENSNOOP_PATH_BUF + OPENSNOOP_NAME_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct opensnoop_record);
} opensnoop_scratch SEC(".maps");

/* Layouts of the syscalls:sys_{enter,exit}_* tracepoint records. */
struct opensnoop_tp_enter {
	__u64 common;
	__s32 nr;
	__u32 pad;
	__u64 args[6];
};

struct opensnoop_tp_exit {
	__u64 common;
	__s32 nr;
	__u32 pad;
	__s64 ret;
};

static __always_inline int opensnoop_enter(__u8 syscall, __s32 dfd, __u64 fname,
					   __u64 flags, __u32 mode)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct opensnoop_call *args;

	if (!snoop_task_traced(pid_tgid))
		return 0;
	args = bpf_task_storage_get(&opensnoop_inflight, bpf_get_current_task_btf(), 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	/* No storage means a call we will not report; the exit counts it. */
	if (!args)
		return 0;
	args->fname = fname;
	args->flags = flags;
	args->dfd = dfd;
	args->mode = mode;
	args->syscall = syscall;
	args->pending = 1;
	return 0;
}

#ifdef OPENSNOOP_FULL_PATH
const volatile int opensnoop_full_path = 1;

/* The directory the call resolved a relative path against: the dirfd's
 * file or the cwd, as they are now, during the call. */
static __always_inline int opensnoop_base_dir(__s32 dfd, struct path *out)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (dfd == OPENSNOOP_AT_FDCWD) {
		BPF_CORE_READ_INTO(out, task, fs, pwd);
		return 0;
	}
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
	struct file *f = 0;

	if (dfd < 0 || (unsigned int)dfd >= max)
		return -1;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[dfd]);
	if (!f)
		return -1;
	BPF_CORE_READ_INTO(out, f, f_path);
	return 0;
}

struct opensnoop_walk {
	struct dentry *d;
	struct vfsmount *vmnt;
	struct mount *mnt;
	struct path root;
	int done;
};

/* One step up the tree; bpf_loop() has the verifier check it once instead
 * of once per level.  The write offset lives in the record (path_len), not
 * in *w: the verifier tracks stack values, so an offset there would make
 * every iteration a new state to verify (0.6 s per program load). */
static long opensnoop_walk_step(__u32 i, void *arg)
{
	struct opensnoop_walk *w = arg;
	struct opensnoop_record *r;
	/* Locals, not w->field, inside BPF_CORE_READ: it would record a CO-RE
	 * relocation against our own struct too. */
	struct dentry *d = w->d, *parent, *mnt_root;
	struct vfsmount *vmnt = w->vmnt;
	struct mount *mnt = w->mnt;
	__u32 zero = 0;
	__u64 off;
	long n;

	if (d == w->root.dentry && vmnt == w->root.mnt)
		goto done;
	parent = BPF_CORE_READ(d, d_parent);
	mnt_root = BPF_CORE_READ(vmnt, mnt_root);
	if (d == mnt_root || d == parent) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		if (up == mnt)
			goto done;
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->vmnt = &up->mnt;
		return 0;
	}
	r = bpf_map_lookup_elem(&opensnoop_scratch, &zero);
	if (!r)
		return 1;
	off = r->ev.path_len;
	if (off > OPENSNOOP_PATH_BUF - OPENSNOOP_NAME_MAX)
		return 1;
	n = bpf_probe_read_kernel_str(&r->path[off & (OPENSNOOP_PATH_BUF - 1)],
				      OPENSNOOP_NAME_MAX, BPF_CORE_READ(d, d_name.name));
	if (n <= 0)
		return 1;
	r->ev.path_len = off + n;
	r->ev.path_parts++;
	w->d = parent;
	return 0;
done:
	w->done = 1;
	return 1;
}

/* Append the names of the directories from base up to the root (the
 * task's root, so a chrooted path reads as the task sees it), innermost
 * first, crossing mount points. */
static __always_inline __u64 opensnoop_append_dirs(struct opensnoop_record *r, __u64 off,
						   __s32 dfd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct opensnoop_walk w = {};
	struct path base;

	if (opensnoop_base_dir(dfd, &base))
		return off;
	BPF_CORE_READ_INTO(&w.root, task, fs, root);
	w.d = base.dentry;
	w.vmnt = base.mnt;
	w.mnt = container_of(base.mnt, struct mount, mnt);
	r->ev.path_len = off;
	bpf_loop(OPENSNOOP_MAX_DEPTH, opensnoop_walk_step, &w, 0);
	r->ev.path_flags |= OPENSNOOP_PATH_DIRS;
	if (!w.done)
		r->ev.path_flags |= OPENSNOOP_PATH_TRUNCATED;
	return r->ev.path_len;
}
#endif

static __always_inline struct opensnoop_record *opensnoop_record(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&opensnoop_scratch, &zero);
}

/* Send the record of one completed call; r's header is filled. */
static __always_inline int opensnoop_report(struct opensnoop_record *r,
					    const struct opensnoop_call *c, __s64 ret)
{
	long n;
	__u64 len;

	r->ev.ret = ret;
	r->ev.flags = c->flags;
	r->ev.mode = c->mode;
	r->ev.syscall = c->syscall;
	r->ev.path_flags = 0;
	r->ev.path_parts = 1;

	/* At exit the kernel has already copied the path in, so its pages
	 * are resident and the read does not fail on a page not yet faulted
	 * in, as it can at entry. */
	n = bpf_probe_read_user_str(r->path, OPENSNOOP_USER_PATH_MAX, (const void *)c->fname);
	if (n <= 0) {
		r->path[0] = 0;
		n = 1;
		r->ev.path_flags |= OPENSNOOP_PATH_UNREADABLE;
	} else if (n == OPENSNOOP_USER_PATH_MAX) {
		/* A full buffer is ambiguous: look at the byte after it. */
		char next = 0;

		bpf_probe_read_user(&next, 1, (const void *)(c->fname + n - 1));
		if (next)
			r->ev.path_flags |= OPENSNOOP_PATH_TRUNCATED;
	}
	len = n;
#ifdef OPENSNOOP_FULL_PATH
	if (r->path[0] != '/' && !(r->ev.path_flags & OPENSNOOP_PATH_UNREADABLE))
		len = opensnoop_append_dirs(r, len,
					    c->syscall >= OPENSNOOP_SYS_OPENAT ?
					    c->dfd : OPENSNOOP_AT_FDCWD);
#endif
	if (len > OPENSNOOP_PATH_BUF)
		len = OPENSNOOP_PATH_BUF;
	r->ev.path_len = len;
	snoop_submit(r, sizeof(r->ev) + len);
	return 0;
}

/* Paired variant: the exit program, with the arguments its entry saved. */
static __always_inline int opensnoop_exit(__s64 ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct opensnoop_record *r;
	struct opensnoop_call *args;

	args = bpf_task_storage_get(&opensnoop_inflight, bpf_get_current_task_btf(), 0, 0);
	if (!args || !args->pending) {
		/* A traced task returning from a call whose entry we did not
		 * see (no storage, or the call began before we attached):
		 * never silent, count it. */
		if (snoop_task_traced(pid_tgid))
			snoop_lost_inc();
		return 0;
	}
	args->pending = 0;
	if (snoop_filter.failed_only && ret >= 0)
		return 0;
	r = opensnoop_record();
	if (!r)
		return 0;
	snoop_hdr_fill(&r->ev.hdr, pid_tgid);
	return opensnoop_report(r, args, ret);
}

/* Paired variant: the per-syscall tracepoints, entry and exit. */
SEC("tracepoint/syscalls/sys_enter_open")
int opensnoop_pair_enter_open(struct opensnoop_tp_enter *ctx)
{
	return opensnoop_enter(OPENSNOOP_SYS_OPEN, OPENSNOOP_AT_FDCWD, ctx->args[0],
			       ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int opensnoop_pair_enter_creat(struct opensnoop_tp_enter *ctx)
{
	return opensnoop_enter(OPENSNOOP_SYS_CREAT, OPENSNOOP_AT_FDCWD, ctx->args[0],
			       OPENSNOOP_O_CREAT | OPENSNOOP_O_WRONLY | OPENSNOOP_O_TRUNC,
			       ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int opensnoop_pair_enter_openat(struct opensnoop_tp_enter *ctx)
{
	return opensnoop_enter(OPENSNOOP_SYS_OPENAT, (__s32)ctx->args[0], ctx->args[1],
			       ctx->args[2], ctx->args[3]);
}

static __always_inline int opensnoop_enter_openat2(__s32 dfd, __u64 fname, __u64 how_ptr)
{
	/* struct open_how: flags, mode, resolve, all __u64 (a stable ABI). */
	__u64 how[2] = {};

	bpf_probe_read_user(how, sizeof(how), (const void *)how_ptr);
	return opensnoop_enter(OPENSNOOP_SYS_OPENAT2, dfd, fname, how[0], how[1]);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int opensnoop_pair_enter_openat2(struct opensnoop_tp_enter *ctx)
{
	return opensnoop_enter_openat2((__s32)ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_open")
int opensnoop_pair_exit_open(struct opensnoop_tp_exit *ctx) { return opensnoop_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_creat")
int opensnoop_pair_exit_creat(struct opensnoop_tp_exit *ctx) { return opensnoop_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_openat")
int opensnoop_pair_exit_openat(struct opensnoop_tp_exit *ctx) { return opensnoop_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_openat2")
int opensnoop_pair_exit_openat2(struct opensnoop_tp_exit *ctx) { return opensnoop_exit(ctx->ret); }

#if defined(__TARGET_ARCH_x86)
/* The exit-only variants read the arguments from the registers the task
 * saved on entry (x86-64 struct pt_regs, the ptrace ABI).  Nothing between
 * entry and the exit tracepoint changes them; a tracer that rewrote them
 * at entry (ptrace, seccomp) leaves the values the call really ran with. */
#define OPENSNOOP_NR_OPEN 2
#define OPENSNOOP_NR_CREAT 85
#define OPENSNOOP_NR_OPENAT 257
#define OPENSNOOP_NR_OPENAT2 437
/* The same calls from 32-bit (ia32) programs. */
#define OPENSNOOP_NR32_OPEN 5
#define OPENSNOOP_NR32_CREAT 8
#define OPENSNOOP_NR32_OPENAT 295
#define OPENSNOOP_NR32_OPENAT2 437
/* The code segment a 32-bit program runs in (__USER32_CS). */
#define OPENSNOOP_USER32_CS 0x23

/* struct pt_regs from bx to cs, in 8-byte words (offset 40 to 144). */
#define OPENSNOOP_REGS_FIRST 40
#define OPENSNOOP_BX 0
#define OPENSNOOP_R10 2
#define OPENSNOOP_CX 6
#define OPENSNOOP_DX 7
#define OPENSNOOP_SI 8
#define OPENSNOOP_DI 9
#define OPENSNOOP_ORIG_AX 10
#define OPENSNOOP_CS 12
#define OPENSNOOP_REGS_WORDS 13

/* arg holds the call's first four arguments, in order. */
static __always_inline int opensnoop_exit_args(__u8 syscall, const __u64 *arg, __s64 ret)
{
	struct opensnoop_call c = { .syscall = syscall, .fname = arg[0] };
	struct opensnoop_record *r;

	if (snoop_filter.failed_only && ret >= 0)
		return 0;
	r = opensnoop_record();
	if (!r || !snoop_hdr_fill_traced(&r->ev.hdr, bpf_get_current_pid_tgid()))
		return 0;
	switch (syscall) {
	case OPENSNOOP_SYS_OPEN:
		c.dfd = OPENSNOOP_AT_FDCWD;
		c.flags = arg[1];
		c.mode = arg[2];
		break;
	case OPENSNOOP_SYS_CREAT:
		c.dfd = OPENSNOOP_AT_FDCWD;
		c.flags = OPENSNOOP_O_CREAT | OPENSNOOP_O_WRONLY | OPENSNOOP_O_TRUNC;
		c.mode = arg[1];
		break;
	case OPENSNOOP_SYS_OPENAT:
		c.dfd = (__s32)arg[0];
		c.fname = arg[1];
		c.flags = arg[2];
		c.mode = arg[3];
		break;
	default: {
		/* struct open_how: flags, mode, resolve, all __u64 (a stable ABI,
		 * the same for 32-bit programs). */
		__u64 how[2] = {};

		bpf_probe_read_user(how, sizeof(how), (const void *)arg[2]);
		c.dfd = (__s32)arg[0];
		c.fname = arg[1];
		c.flags = how[0];
		c.mode = how[1];
	}
	}
	return opensnoop_report(r, &c, ret);
}

/* Preferred: the per-syscall exit tracepoints only (which, like the entry
 * ones, the kernel does not fire for 32-bit programs).  bpf_task_pt_regs()
 * (5.15) gives the saved registers as a kernel pointer the verifier knows
 * the type of, so they are plain loads, not probe reads. */
static __always_inline int opensnoop_exit_only(__u8 syscall, __s64 ret)
{
	const __u64 *pt = (const __u64 *)bpf_task_pt_regs(bpf_get_current_task_btf());
	const __u64 *regs = pt + OPENSNOOP_REGS_FIRST / 8;
	__u64 arg[4] = { regs[OPENSNOOP_DI], regs[OPENSNOOP_SI], regs[OPENSNOOP_DX],
			 regs[OPENSNOOP_R10] };

	return opensnoop_exit_args(syscall, arg, ret);
}

SEC("tracepoint/syscalls/sys_exit_open")
int opensnoop_exit_open(struct opensnoop_tp_exit *ctx)
{
	return opensnoop_exit_only(OPENSNOOP_SYS_OPEN, ctx->ret);
}
SEC("tracepoint/syscalls/sys_exit_creat")
int opensnoop_exit_creat(struct opensnoop_tp_exit *ctx)
{
	return opensnoop_exit_only(OPENSNOOP_SYS_CREAT, ctx->ret);
}
SEC("tracepoint/syscalls/sys_exit_openat")
int opensnoop_exit_openat(struct opensnoop_tp_exit *ctx)
{
	return opensnoop_exit_only(OPENSNOOP_SYS_OPENAT, ctx->ret);
}
SEC("tracepoint/syscalls/sys_exit_openat2")
int opensnoop_exit_openat2(struct opensnoop_tp_exit *ctx)
{
	return opensnoop_exit_only(OPENSNOOP_SYS_OPENAT2, ctx->ret);
}

/* Fallback for kernels without per-syscall tracepoints or a tracefs to
 * find them in (raw tracepoints need neither): the raw sys_exit, which
 * runs on every syscall and so costs every other syscall a little too.
 * Its first argument is the saved registers, as an untyped pointer.  It
 * also fires for 32-bit programs, whose calls have their own numbers and
 * registers: it is the variant that sees their opens. */
SEC("raw_tp/sys_exit")
int opensnoop_raw_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 regs[OPENSNOOP_REGS_WORDS], arg[4];
	__u8 syscall;

	if (bpf_probe_read_kernel(regs, sizeof(regs),
				  (const char *)ctx->args[0] + OPENSNOOP_REGS_FIRST))
		return 0;
	if (regs[OPENSNOOP_CS] == OPENSNOOP_USER32_CS) {
		switch (regs[OPENSNOOP_ORIG_AX]) {
		case OPENSNOOP_NR32_OPEN: syscall = OPENSNOOP_SYS_OPEN; break;
		case OPENSNOOP_NR32_CREAT: syscall = OPENSNOOP_SYS_CREAT; break;
		case OPENSNOOP_NR32_OPENAT: syscall = OPENSNOOP_SYS_OPENAT; break;
		case OPENSNOOP_NR32_OPENAT2: syscall = OPENSNOOP_SYS_OPENAT2; break;
		default: return 0;
		}
		/* 32-bit arguments: the upper halves of the registers are not
		 * the caller's. */
		arg[0] = (__u32)regs[OPENSNOOP_BX];
		arg[1] = (__u32)regs[OPENSNOOP_CX];
		arg[2] = (__u32)regs[OPENSNOOP_DX];
		arg[3] = (__u32)regs[OPENSNOOP_SI];
	} else {
		switch (regs[OPENSNOOP_ORIG_AX]) {
		case OPENSNOOP_NR_OPEN: syscall = OPENSNOOP_SYS_OPEN; break;
		case OPENSNOOP_NR_CREAT: syscall = OPENSNOOP_SYS_CREAT; break;
		case OPENSNOOP_NR_OPENAT: syscall = OPENSNOOP_SYS_OPENAT; break;
		case OPENSNOOP_NR_OPENAT2: syscall = OPENSNOOP_SYS_OPENAT2; break;
		default: return 0;
		}
		arg[0] = regs[OPENSNOOP_DI];
		arg[1] = regs[OPENSNOOP_SI];
		arg[2] = regs[OPENSNOOP_DX];
		arg[3] = regs[OPENSNOOP_R10];
	}
	return opensnoop_exit_args(syscall, arg, ctx->args[1]);
}
#endif
