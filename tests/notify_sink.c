/*
 * notify_sink SOCKET SECONDS [stamp]: the systemd side of sd_notify(3),
 * for the end-to-end tests.  Binds a datagram socket at SOCKET and prints
 * each message it gets as one line (newlines inside become spaces), until
 * SECONDS have passed or it is signalled.  With "stamp", each line begins
 * with when the message came, in milliseconds of CLOCK_MONOTONIC.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Prints one message on a line of its own, after its time if stamp. */
static void
print_message(char *buf, ssize_t n, int stamp)
{
	struct timespec	ts;
	ssize_t		i;

	while (n > 0 && buf[n - 1] == '\n')
		n--;
	for (i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = ' ';
	if (stamp) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		printf("%lld ", (long long)ts.tv_sec * 1000 +
		    ts.tv_nsec / 1000000);
	}
	printf("%.*s\n", (int)n, buf);
	fflush(stdout);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	char			 buf[4096];
	time_t			 end;
	ssize_t			 n;
	int			 fd;

	if (argc != 3 && (argc != 4 || strcmp(argv[3], "stamp") != 0)) {
		fprintf(stderr, "usage: notify_sink SOCKET SECONDS [stamp]\n");
		return 2;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "notify_sink: %s: too long\n", argv[1]);
		return 1;
	}
	strcpy(sun.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror("notify_sink");
		return 1;
	}
	end = time(NULL) + atoi(argv[2]);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (time(NULL) < end) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
			print_message(buf, n, argc == 4);
	}
	close(fd);
	unlink(argv[1]);
	return 0;
}
