/* SPDX-License-Identifier: GPL-2.0-or-later WITH Linux-syscall-note */
/*
 * sockctl_dev: private ioctls of a virtual network device.
 *
 * The module adds a link type "sctl" (`ip link add NAME type sctl`) and, at
 * load, "numdevs" devices named sctl0, sctl1, ... in the initial namespace.
 * Its ndo_siocdevprivate answers two of the SIOCDEVPRIVATE requests, issued
 * on any socket with a struct ifreq naming the device whose ifr_data points
 * at the argument. LOG, SET and ADD need CAP_NET_ADMIN in the device's
 * network namespace (EPERM); GET and the counters are for anyone.
 *
 * SIOCDEVPRIVATE + SOCKCTL_DEV_IOC_CMD, argument struct sockctl_dev_cmd,
 * read and written back:
 *   LOG  logs "sctl0: sockctl_dev command: arg1=A arg2=B" in the kernel log;
 *   SET  sets counter arg1 to arg2 and returns its old value in arg2;
 *   GET  returns counter arg1 in arg2;
 *   ADD  adds arg2 to counter arg1 (wrapping at 2^64) and returns the sum.
 * A counter number of SOCKCTL_DEV_COUNTERS or more gets ERANGE, an unknown
 * command EOPNOTSUPP.
 *
 * SIOCDEVPRIVATE + SOCKCTL_DEV_IOC_COUNTERS, argument struct
 * sockctl_dev_counters, written: every counter at once.
 *
 * The counters belong to the device and start at zero.
 */
#ifndef _UAPI_SOCKCTL_DEV_H
#define _UAPI_SOCKCTL_DEV_H

#include <linux/types.h>

#define SOCKCTL_DEV_KIND	"sctl"

/* Offsets from SIOCDEVPRIVATE. */
#define SOCKCTL_DEV_IOC_CMD		0
#define SOCKCTL_DEV_IOC_COUNTERS	1

#define SOCKCTL_DEV_COUNTERS	8

/* sockctl_dev_cmd.cmd */
#define SOCKCTL_DEV_CMD_LOG	1
#define SOCKCTL_DEV_CMD_SET	2
#define SOCKCTL_DEV_CMD_GET	3
#define SOCKCTL_DEV_CMD_ADD	4

struct sockctl_dev_cmd {
	__u32 cmd;	/* SOCKCTL_DEV_CMD_* */
	__u32 arg1;	/* the counter number, or LOG's first value */
	__u64 arg2;	/* a value in, a result out */
};

struct sockctl_dev_counters {
	__u32 count;	/* SOCKCTL_DEV_COUNTERS */
	__u32 reserved;	/* zero */
	__u64 value[SOCKCTL_DEV_COUNTERS];
};

#endif /* _UAPI_SOCKCTL_DEV_H */
