package io.capsa.cgroups;

/** A memory controller, which counts the processes the kernel's OOM killer has killed in a cgroup. */
public interface OomCounter {
    long oomKills(CgroupDir dir);
}
