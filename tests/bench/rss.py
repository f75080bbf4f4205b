"""Run a command and write the peak memory of its process tree to a JSON file (Linux, no psutil needed).

    python tests/bench/rss.py OUT.json -- ansible-playbook ...

Two figures, since forked Ansible workers share most pages with the controller: ``max_process_kb``, the largest
resident set of any one process of the tree (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of this wrapper, which waits
for the command only), and ``tree_peak_kb``, the highest sum of the tree's resident sets seen by sampling /proc
every 0.1 s (an upper bound: shared pages count once per process). The command's output passes through, and this
wrapper exits with its status.
"""

import json
import os
import resource
import subprocess
import sys
import threading

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _processes():
    """{pid: (ppid, rss_kb)} of every process /proc shows."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # After the command name: state, ppid, ... rss is field 24 of stat (index 21 here), in pages.
        table[int(name)] = (int(fields[1]), int(fields[21]) * PAGE_KB)
    return table


def tree_rss_kb(root, table=None):
    """The summed resident set (kB) of ``root`` and all its descendants."""
    table = _processes() if table is None else table
    children = {}
    for pid, (ppid, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][1]
        todo.extend(children.get(pid, ()))
    return total


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    out, command = argv[0], argv[argv.index("--") + 1:]
    proc = subprocess.Popen(command)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.1):
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rc = proc.wait()
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"max_process_kb": usage.ru_maxrss, "tree_peak_kb": peak[0]}, handle)
    return rc


if __name__ == "__main__":
    sys.exit(main())
