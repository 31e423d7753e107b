/* SPDX-License-Identifier: MIT */
/*
 * Bit fields of the ARMv7 registers Keel programs or decodes: CPSR, HSR,
 * HCR, HSCTLR, HTCR/VTCR, CNTHCTL. Names follow the ARM ARM (DDI 0406C).
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

/* CPSR / SPSR (A2.5, B1.3.3) */
#define PSR_MODE_MASK   0x1fu
#define PSR_MODE_USR    0x10u
#define PSR_MODE_FIQ    0x11u
#define PSR_MODE_IRQ    0x12u
#define PSR_MODE_SVC    0x13u
#define PSR_MODE_MON    0x16u
#define PSR_MODE_ABT    0x17u
#define PSR_MODE_HYP    0x1au
#define PSR_MODE_UND    0x1bu
#define PSR_MODE_SYS    0x1fu
#define PSR_T           (1u << 5)
#define PSR_F           (1u << 6)
#define PSR_I           (1u << 7)
#define PSR_A           (1u << 8)
#define PSR_E           (1u << 9)
#define PSR_IT_LO_MASK  (0x3fu << 10)   /* IT[7:2] */
#define PSR_IT_HI_MASK  (0x3u << 25)    /* IT[1:0] */
#define PSR_J           (1u << 24)
#define PSR_C           (1u << 29)

/* HSR (B3.13.6): exception class and syndrome */
#define HSR_EC_SHIFT    26
#define HSR_EC(hsr)     ((hsr) >> HSR_EC_SHIFT)
#define HSR_IL          (1u << 25)      /* 32-bit instruction */
#define HSR_ISS(hsr)    ((hsr) & 0x1ffffffu)
#define HSR_CV          (1u << 24)      /* condition field valid (EC 0x01-0x0c) */
#define HSR_COND(hsr)   (((hsr) >> 20) & 0xfu)

#define HSR_EC_UNKNOWN   0x00
#define HSR_EC_WFX       0x01
#define HSR_EC_CP15_32   0x03
#define HSR_EC_CP15_64   0x04
#define HSR_EC_CP14_32   0x05
#define HSR_EC_CP14_LS   0x06
#define HSR_EC_HCPTR     0x07
#define HSR_EC_CP10_ID   0x08
#define HSR_EC_JAZELLE   0x09
#define HSR_EC_BXJ       0x0a
#define HSR_EC_CP14_64   0x0c
#define HSR_EC_SVC_HYP   0x11
#define HSR_EC_HVC       0x12
#define HSR_EC_SMC       0x13
#define HSR_EC_IABT      0x20
#define HSR_EC_IABT_HYP  0x21
#define HSR_EC_DABT      0x24
#define HSR_EC_DABT_HYP  0x25

/* ISS of a data abort (B3.13.6, "ISS encoding for a Data Abort") */
#define HSR_DABT_ISV     (1u << 24)
#define HSR_DABT_SAS(h)  (((h) >> 22) & 3u)   /* 0 byte, 1 half, 2 word */
#define HSR_DABT_SSE     (1u << 21)
#define HSR_DABT_SRT(h)  (((h) >> 16) & 0xfu)
#define HSR_DABT_EA      (1u << 9)
#define HSR_DABT_CM      (1u << 8)
#define HSR_DABT_S1PTW   (1u << 7)
#define HSR_DABT_WNR     (1u << 6)
#define HSR_xABT_FSC(h)  ((h) & 0x3fu)
/* Long-descriptor fault status codes, HSR.ISS.{D,I}FSC */
#define FSC_TYPE_MASK    0x3cu
#define FSC_TRANSLATION  0x04u
#define FSC_ACCESS       0x08u
#define FSC_PERMISSION   0x0cu

/* ISS of WFI/WFE */
#define HSR_WFX_WFE      1u

/* ISS of MCR/MRC (EC 0x03, 0x05) */
#define HSR_CP32_OPC2(h) (((h) >> 17) & 7u)
#define HSR_CP32_OPC1(h) (((h) >> 14) & 7u)
#define HSR_CP32_CRN(h)  (((h) >> 10) & 0xfu)
#define HSR_CP32_RT(h)   (((h) >> 5) & 0xfu)
#define HSR_CP32_CRM(h)  (((h) >> 1) & 0xfu)
#define HSR_CP_READ      1u               /* Direction: 1 = read (MRC) */
/* ISS of MCRR/MRRC (EC 0x04, 0x0c) */
#define HSR_CP64_OPC1(h) (((h) >> 16) & 0xfu)
#define HSR_CP64_RT2(h)  (((h) >> 10) & 0xfu)
#define HSR_CP64_RT(h)   (((h) >> 5) & 0xfu)
#define HSR_CP64_CRM(h)  (((h) >> 1) & 0xfu)

/* HCR (B4.1.65) */
#define HCR_VM     (1u << 0)
#define HCR_SWIO   (1u << 1)
#define HCR_PTW    (1u << 2)
#define HCR_FMO    (1u << 3)
#define HCR_IMO    (1u << 4)
#define HCR_AMO    (1u << 5)
#define HCR_VF     (1u << 6)
#define HCR_VI     (1u << 7)
#define HCR_VA     (1u << 8)
#define HCR_FB     (1u << 9)
#define HCR_BSU_IS (1u << 10)
#define HCR_DC     (1u << 12)
#define HCR_TWI    (1u << 13)
#define HCR_TWE    (1u << 14)
#define HCR_TID0   (1u << 15)
#define HCR_TID1   (1u << 16)
#define HCR_TID2   (1u << 17)
#define HCR_TID3   (1u << 18)
#define HCR_TSC    (1u << 19)
#define HCR_TIDCP  (1u << 20)
#define HCR_TAC    (1u << 21)
#define HCR_TSW    (1u << 22)
#define HCR_TPC    (1u << 23)
#define HCR_TPU    (1u << 24)
#define HCR_TTLB   (1u << 25)
#define HCR_TVM    (1u << 26)
#define HCR_TGE    (1u << 27)

/* HSTR: trap CP15 primary register c15 (IMPLEMENTATION DEFINED) */
#define HSTR_T15   (1u << 15)

/* HSCTLR (B4.1.66) */
#define HSCTLR_M   (1u << 0)
#define HSCTLR_A   (1u << 1)
#define HSCTLR_C   (1u << 2)
#define HSCTLR_I   (1u << 12)
#define HSCTLR_WXN (1u << 19)

/* SCTLR bits Keel looks at when injecting exceptions */
#define SCTLR_M    (1u << 0)
#define SCTLR_V    (1u << 13)
#define SCTLR_EE   (1u << 25)
#define SCTLR_TE   (1u << 30)
#define SCTLR_RESET 0x00c50078u          /* Cortex-A15 reset value, MMU/caches off */

/* TTBCR */
#define TTBCR_EAE  (1u << 31)

/* HTCR / VTCR (B4.1.76, B4.1.159) */
#define TCR_T0SZ(x)     ((x) & 0xfu)
#define TCR_SL0_L1      (1u << 6)         /* VTCR only: walk starts at level 1 */
#define TCR_IRGN0_WBWA  (1u << 8)
#define TCR_ORGN0_WBWA  (1u << 10)
#define TCR_SH0_IS      (3u << 12)
#define HTCR_RES1       (1u << 31)
#define VTCR_RES1       (1u << 31)

/* CNTHCTL: which PL1 timer accesses do not trap */
#define CNTHCTL_PL1PCTEN (1u << 0)
#define CNTHCTL_PL1PCEN  (1u << 1)

/* VTTBR */
#define VTTBR_VMID_SHIFT 48

/* Exception vector offsets (B1.8.1) */
#define VEC_UNDEF  0x04u
#define VEC_SVC    0x08u
#define VEC_PABT   0x0cu
#define VEC_DABT   0x10u
#define VEC_IRQ    0x18u
#define VEC_FIQ    0x1cu

#endif
