/* The idle-CPU floor of Patroni's ZooKeeper liveness check with the multi-threaded C client:
   one session (30 s, as ttl 30) and one question (exists "/") every 4 s from a thread of our
   own, as kazoo pings Patroni's connection every read_timeout/2 (read_timeout = loop_wait - 2
   = 8 s) and praetor's reviver thread does. Nothing else. After `seconds` it prints its own CPU
   time (all threads, scheduler run time and utime+stime) scaled to 120 s, and exits. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

static void watcher(zhandle_t* zh, int type, int state, const char* path, void* context) {
  (void)zh, (void)type, (void)state, (void)path, (void)context;
}

static void answered(int rc, const struct Stat* stat, const void* data) {
  (void)rc, (void)stat, (void)data;
}

/* Sum of /proc/self/task/<tid>/schedstat run times, ns; voluntary switches through *switches. */
static double run_ns(long* switches) {
  DIR* d = opendir("/proc/self/task");
  struct dirent* e;
  double sum = 0;
  *switches = 0;
  while (d && (e = readdir(d))) {
    char path[300], line[256];
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "/proc/self/task/%s/schedstat", e->d_name);
    FILE* f = fopen(path, "r");
    double ns = 0;
    if (f && fscanf(f, "%lf", &ns) == 1) sum += ns;
    if (f) fclose(f);
    snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
    f = fopen(path, "r");
    long v = 0;
    while (f && fgets(line, sizeof line, f))
      if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1) *switches += v;
    if (f) fclose(f);
  }
  if (d) closedir(d);
  return sum;
}

static double ticks(void) {
  FILE* f = fopen("/proc/self/stat", "r");
  unsigned long utime = 0, stime = 0;
  if (f &&
      fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    utime = stime = 0;
  if (f) fclose(f);
  return (double)(utime + stime);
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: ping_floor host:port seconds\n");
    return 2;
  }
  int seconds = atoi(argv[2]);
  zoo_set_debug_level(ZOO_LOG_LEVEL_WARN);
  zhandle_t* zh = zookeeper_init(argv[1], watcher, 30000, 0, 0, 0);
  if (!zh) {
    perror("ping_floor: zookeeper_init");
    return 1;
  }
  zoo_set_servers_resolution_delay(zh, -1); /* as praetor: no host lookup before every poll */
  for (int i = 0; i < 60 && zoo_state(zh) != ZOO_CONNECTED_STATE; ++i) sleep(1);
  if (zoo_state(zh) != ZOO_CONNECTED_STATE) {
    fprintf(stderr, "ping_floor: no ZooKeeper session with %s after 60 s\n", argv[1]);
    return 1;
  }
  sleep(4); /* settled */
  long sw0, sw1;
  double ns0 = run_ns(&sw0), t0 = ticks();
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int waited = 0; waited < seconds; waited += 4) {
    sleep(4);
    zoo_aexists(zh, "/", 0, answered, NULL);
  }
  sleep(1); /* the last answer */
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ns1 = run_ns(&sw1), t1 = ticks();
  double window = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  double scale = 120.0 / window;
  printf(
      "ping_floor: %.0f s, %.2f ms per 120 s (scheduler run time), %.3f s per 120 s "
      "(utime+stime), %.0f voluntary switches per 120 s\n",
      window, (ns1 - ns0) / 1e6 * scale, (t1 - t0) / (double)sysconf(_SC_CLK_TCK) * scale,
      (double)(sw1 - sw0) * scale);
  zookeeper_close(zh);
  return 0;
}
