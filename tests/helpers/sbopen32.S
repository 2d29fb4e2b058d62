/* sbopen32 PATH: a 32-bit (ia32) program that opens PATH with open(2) and
 * openat(2), then calls readlink(2), and exits 0.  On x86-64 the kernel's
 * syscall tracepoints skip 32-bit calls; the raw sys_exit tracepoint sees
 * them, with their own numbers and registers.  readlink is 85 here, the
 * number creat has for 64-bit programs, so a tracer that decodes a 32-bit
 * call as a 64-bit one reports a creat that never happened.
 *
 * No libc: the test machines have no 32-bit one, and the VM suite copies
 * static binaries only.  Exits 2 without PATH, 1 if an open failed. */
	.text
	.globl _start
_start:
	movl	8(%esp), %esi		/* argv[1] */
	testl	%esi, %esi
	jz	usage

	movl	$5, %eax		/* open(PATH, O_RDONLY) */
	movl	%esi, %ebx
	xorl	%ecx, %ecx
	int	$0x80
	testl	%eax, %eax
	js	failed

	movl	$295, %eax		/* openat(AT_FDCWD, PATH, O_RDONLY) */
	movl	$-100, %ebx
	movl	%esi, %ecx
	xorl	%edx, %edx
	int	$0x80
	testl	%eax, %eax
	js	failed

	movl	$85, %eax		/* readlink(PATH, buf, 1): EINVAL, not a link */
	movl	%esi, %ebx
	movl	$buf, %ecx
	movl	$1, %edx
	int	$0x80

	xorl	%ebx, %ebx
	jmp	exit
usage:
	movl	$2, %ebx
	jmp	exit
failed:
	movl	$1, %ebx
exit:
	movl	$1, %eax		/* exit(status) */
	int	$0x80

	.bss
buf:	.space	4
