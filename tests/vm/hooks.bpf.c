/* One tiny program per hook kind.  sbhooks loads them one at a time and
 * tells which ones this kernel loads, attaches and runs, so the VM suite
 * can hold each kernel to what it is known to support. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Only the probing process counts: other BPF users and processes may run. */
const volatile __u32 hooks_tgid;

enum { H_TP, H_RAW_TP, H_TP_BTF, H_KPROBE, H_KRETPROBE, H_KPROBE_MULTI, H_FENTRY, H_FEXIT,
       H_LSM, H_MAX };
__u64 hooks_hits[H_MAX];

static __always_inline int hit(int i)
{
	if ((bpf_get_current_pid_tgid() >> 32) == hooks_tgid)
		__sync_fetch_and_add(&hooks_hits[i], 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int hooks_tracepoint(void *ctx) { return hit(H_TP); }

SEC("raw_tp/sys_enter")
int hooks_raw_tp(void *ctx) { return hit(H_RAW_TP); }

SEC("tp_btf/sys_enter")
int hooks_tp_btf(void *ctx) { return hit(H_TP_BTF); }

SEC("kprobe/do_sys_openat2")
int hooks_kprobe(void *ctx) { return hit(H_KPROBE); }

SEC("kretprobe/do_sys_openat2")
int hooks_kretprobe(void *ctx) { return hit(H_KRETPROBE); }

SEC("kprobe.multi/do_sys_openat2")
int hooks_kprobe_multi(void *ctx) { return hit(H_KPROBE_MULTI); }

SEC("fentry/do_sys_openat2")
int BPF_PROG(hooks_fentry) { return hit(H_FENTRY); }

SEC("fexit/do_sys_openat2")
int BPF_PROG(hooks_fexit) { return hit(H_FEXIT); }

SEC("lsm/file_open")
int BPF_PROG(hooks_lsm, struct file *file) { hit(H_LSM); return 0; }
