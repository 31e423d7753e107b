/* SPDX-License-Identifier: MIT */
/*
 * echo: reads what is typed on Keel's console through its emulated PL011
 * (polling FR.RXFE, reading DR) and prints each line back, until a line "q".
 */
#include "guest.h"

#define UART_BASE 0x09000000u
#define UART_DR   0x00
#define UART_FR   0x18
#define FR_RXFE   (1u << 4)

static int getc_wait(void)
{
	while (mmio_read32(UART_BASE + UART_FR) & FR_RXFE)
		;
	return mmio_read32(UART_BASE + UART_DR) & 0xff;
}

int main(void)
{
	char line[80];
	unsigned n = 0;

	printf("echo: type lines, 'q' to stop\n");
	for (;;) {
		int c = getc_wait();

		if (c == '\r' || c == '\n') {
			line[n] = '\0';
			if (n == 1 && line[0] == 'q')
				break;
			if (n)
				printf("got: %s\n", line);
			n = 0;
		} else if (n < sizeof(line) - 1) {
			line[n++] = (char)c;
		}
	}
	test_pass("echo_quit");
	return test_summary();
}
