/* The launcher of tests/fakes/fork_server.py, built as `helm` and `kubectl` (the name it is started by is the tool):
 * hands its argv, environment, working directory and stdin/stdout/stderr to the server at $FAKE_CLI_SERVER, forwards
 * SIGTERM/SIGINT/SIGHUP to the worker that runs it, and ends as that worker ended. See fork_server.py. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;
static volatile pid_t worker = 0;
static volatile sig_atomic_t pending = 0, forwarded = 0;

static void forward(int sig) {
    if (worker > 0) {
        forwarded = sig;
        kill(worker, sig);
    } else {
        pending = sig;
    }
}

static int read_full(int fd, void *buf, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = read(fd, (char *)buf + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        done += (size_t)n;
    }
    return 0;
}

static void append(char **buf, size_t *len, size_t *cap, const char *text) {
    size_t n = strlen(text) + 1;
    while (*len + n > *cap) {
        *cap = *cap ? *cap * 2 : 4096;
        *buf = realloc(*buf, *cap);
        if (!*buf) { perror("fake launcher"); exit(70); }
    }
    memcpy(*buf + *len, text, n);
    *len += n;
}

int main(int argc, char **argv) {
    const char *path = getenv("FAKE_CLI_SERVER");
    if (!path || !*path) {
        fprintf(stderr, "fake launcher: FAKE_CLI_SERVER is not set (the socket of tests/fakes/fork_server.py)\n");
        return 127;
    }
    char *name = strdup(argv[0]);
    const char *tool = basename(name);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) { perror("fake launcher: getcwd"); return 70; }

    /* Request: tool \0 cwd \0 argc \0 args... \0 env... \0, after its length. */
    char *body = NULL, count[16];
    size_t len = 0, cap = 0;
    append(&body, &len, &cap, tool);
    append(&body, &len, &cap, cwd);
    snprintf(count, sizeof count, "%d", argc - 1);
    append(&body, &len, &cap, count);
    for (int i = 1; i < argc; i++) append(&body, &len, &cap, argv[i]);
    for (char **e = environ; *e; e++) append(&body, &len, &cap, *e);

    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
        fprintf(stderr, "fake launcher: cannot reach the fork server at %s: %s\n", path, strerror(errno));
        return 127;
    }

    /* Forward before the worker is known too: a signal that arrives first is sent on once its pid is. */
    struct sigaction sa = {.sa_handler = forward, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    uint32_t size = (uint32_t)len;
    int fds[3] = {0, 1, 2};
    char control[CMSG_SPACE(sizeof fds)];
    memset(control, 0, sizeof control);
    struct iovec iov = {.iov_base = &size, .iov_len = sizeof size};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(cmsg), fds, sizeof fds);
    if (sendmsg(sock, &msg, 0) < 0) { perror("fake launcher: sendmsg"); return 127; }
    for (size_t sent = 0; sent < len;) {
        ssize_t n = write(sock, body + sent, len - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { perror("fake launcher: write"); return 127; }
        sent += (size_t)n;
    }

    uint32_t pid, code;
    if (read_full(sock, &pid, sizeof pid) < 0) {
        fprintf(stderr, "fake launcher: the fork server closed the connection\n");
        return 127;
    }
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    worker = (pid_t)pid;
    if (pending) kill(worker, pending);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (read_full(sock, &code, sizeof code) < 0) {
        /* The worker was killed: by the signal this launcher forwarded, else (as far as it can tell) by SIGKILL. */
        int sig = pending ? pending : forwarded ? forwarded : SIGKILL;
        signal(sig, SIG_DFL);
        sigset_t one;
        sigemptyset(&one);
        sigaddset(&one, sig);
        sigprocmask(SIG_UNBLOCK, &one, NULL);
        raise(sig);
        return 128 + sig;
    }
    return (int)code;
}
