/* SPDX-License-Identifier: MIT */
/* Error codes for Keel's internal calls: 0 is success, negative is failure. */
#ifndef KEEL_ERRNO_H
#define KEEL_ERRNO_H

#define KEEL_EINVAL   1   /* bad argument */
#define KEEL_ENOMEM   2   /* out of memory or table space */
#define KEEL_EEXIST   3   /* already mapped / claimed */
#define KEEL_ENOENT   4   /* nothing there */
#define KEEL_ERANGE   5   /* outside the allowed range */
#define KEEL_ECORRUPT 6   /* data failed an integrity check */
#define KEEL_ENOTSUP  7   /* valid but not supported */

#endif
