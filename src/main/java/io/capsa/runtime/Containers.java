package io.capsa.runtime;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.cgroups.ContainerCgroup;
import io.capsa.linux.FileText;
import io.capsa.linux.Proc;
import io.capsa.linux.Signals;
import io.capsa.nstools.NamespaceEnter;
import io.capsa.plan.ContainerPlanner;
import io.capsa.plan.ExecPlanner;
import io.capsa.plan.Op;
import io.capsa.plan.Plan;
import io.capsa.seccomp.Profile;
import io.capsa.spec.Hook;
import io.capsa.spec.Json;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.ProcessSpec;
import io.capsa.spec.Resources;
import io.capsa.spec.Spec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The container lifecycle of the OCI runtime spec (create, start, state, kill, delete) plus run and exec.
 * The CLI only parses arguments and calls this; a Java program can call it directly.
 */
public final class Containers {
    private final StateStore store;
    private final Consumer<String> debug;
    private final Consumer<String> warn;
    private CgroupLayout layout;

    /**
     * debug, unless null, receives each plan step before the helper carries it out (--debug); warn, what
     * failed but goes on. Null rather than a no-op, since describing the steps costs a few ms of every call.
     */
    public Containers(Path root, Consumer<String> debug, Consumer<String> warn) {
        this.store = new StateStore(root);
        this.debug = debug;
        this.warn = warn;
    }

    private Helper startHelper(Plan plan, int preserveFds) {
        List<Plan.Step> steps = plan.steps();
        if (debug != null) for (int i = 0; i < steps.size(); i++) debug.accept("step " + i + ": " + steps.get(i).op() + " " + steps.get(i).args());
        return Helper.start(plan, preserveFds);
    }

    /** The bundle's config; under --debug, what its seccomp filter leaves out (names no architecture of it has). */
    private Spec loadSpec(Path bundle) {
        return checked(Spec.load(bundle));
    }

    private Spec checked(Spec spec) {
        Profile seccomp = spec.linux().seccomp();
        if (debug != null && seccomp != null) for (String skipped : seccomp.skippedSyscalls()) debug.accept(skipped);
        return spec;
    }

    /** How create and run were asked for, beyond config.json; monitor: the container's own (null: none). */
    public record CreateOptions(Path bundle, Path pidFile, int preserveFds, boolean noPivot, boolean newKeyring,
                                Path consoleSocket, Monitor monitor) {}

    /** Creates the container and leaves its init waiting for start; returns the init's pid. */
    public int create(String id, CreateOptions options) {
        return create(id, options, null);
    }

    /** create, with the bundle's config.json as its writer has it in memory (null: read from the bundle). */
    public int create(String id, CreateOptions options, Spec config) {
        try (Created created = createWith(id, options, config, false)) {
            return created.state.pid();
        }
    }

    /**
     * create, start and, unless detached, wait: returns the container's exit code (0 when detached). A
     * container with a monitor runs detached: its exit is the monitor's to see.
     */
    public int run(String id, CreateOptions options, boolean detach) {
        if (options.monitor() != null && !detach) throw new IllegalArgumentException("a container with a monitor runs detached");
        Created created = createWith(id, options, null, !detach);
        // The state stays in memory from here: this process made it and holds the only way to start it.
        try (created) {
            try (FileLock lock = store.lock(id)) {
                openGate(created.state);
            }
            if (detach) {
                created.helper.awaitEnd(); // a startContainer hook or the exec itself may still fail
                return 0;
            }
            ForwardedSignals.to(created.state.pid());
            int exit = created.helper.awaitExit(); // or the failure of a startContainer hook or of the exec
            if (created.cgroup.oomKills() > 0) warn.accept("container " + id + " had processes killed by the OOM killer");
            return exit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!detach) delete(created.state, created.cgroup, true);
        }
    }

    /** The created container's state, its cgroup and, for run, the helper that waits for its init. */
    private record Created(ContainerState state, ContainerCgroup cgroup, Helper helper) implements AutoCloseable {
        @Override
        public void close() {
            helper.close();
        }
    }

    private Created createWith(String id, CreateOptions options, Spec config, boolean monitor) {
        ContainerId.validate(id);
        Path bundle = options.bundle().toAbsolutePath().normalize();
        if (!Files.isDirectory(bundle)) throw new CapsaException("bundle " + bundle + " is not a directory");
        Spec spec = config != null ? checked(config) : loadSpec(bundle);
        CgroupLayout layout = layout();
        ContainerCgroup cgroup;
        try {
            cgroup = ContainerCgroup.forPath(layout, spec.linux().cgroupsPath(), id);
        } catch (IllegalArgumentException e) {
            throw new CapsaException("linux.cgroupsPath: " + e.getMessage());
        }
        Map<String, List<Hook>> hooks = spec.hooks();
        for (String point : List.of("prestart", "createRuntime", "poststart", "poststop")) Hooks.checkExecutable(hooks.get(point));
        Path fifo = store.execFifo(id);
        int owner = Proc.effectiveUid();
        Resources resources = spec.linux().resources().withStandardDevices(spec.linux().devices());
        Plan plan = ContainerPlanner.plan(spec, bundle, fifo, cgroup.dirs(), layout, cgroup.deviceProgram(resources),
                new ContainerPlanner.Options(options.preserveFds(), options.noPivot(), monitor, owner == 0,
                        options.newKeyring() ? id : null, options.consoleSocket(), options.monitor()));

        Path dir = store.claim(id);
        Helper helper = null;
        int pid = 0;
        ContainerState withInit = null; // once the init is there: it and its processes are what a failure kills
        try (FileLock lock = store.lock(id)) {
            ContainerState state = new ContainerState(spec.ociVersion(), id, 0, -1, -1, bundle.toString(),
                    bundle.resolve(spec.root().path()).normalize().toString(), Rfc3339.now(),
                    owner, spec.annotations(), strings(cgroup.dirs()), strings(cgroup.owned()),
                    ((Map<?, ?>) spec.raw()).get("hooks"));
            store.write(state); // first, so that a create that dies leaves what delete needs to clean up
            cgroup.create(); // before the plan: the init may be cloned into it
            if (cgroup.owned().size() < cgroup.dirs().size()) warnIfPopulated(cgroup);
            // The helper clones the container's process while the limits are applied.
            helper = startHelper(plan, options.preserveFds());
            cgroup.apply(resources).forEach(warn);
            pid = helper.awaitPid();
            withInit = state.withInit(pid, Proc.startTime(pid), mountNamespace(pid));
            if (!ContainerPlanner.joinsCgroupsItself(spec)) cgroup.add(pid);
            helper.go();
            if (ContainerPlanner.needsHookSync(spec)) { // the helper runs the hooks, all of them
                helper.awaitHooks();
                // "created", as the runtime spec defines it (after step 2) and crun and the OCI validation suite have it
                Map<String, Object> hookState = stateDocument(withInit, Status.CREATED);
                String runtimeState = Json.write(hookState);
                // createContainer and startContainer run in the container's namespaces: the pid as it sees it (runtime spec)
                hookState.put("pid", Proc.pidInItsNamespace(pid));
                helper.sendHookStates(runtimeState, Json.write(hookState));
            }
            helper.awaitReady();
            store.write(withInit);
            if (options.pidFile() != null) writePidFile(options.pidFile(), pid);
            return new Created(withInit, cgroup, helper);
        } catch (RuntimeException | IOException e) {
            if (pid == 0 && helper != null) helper.abort();
            if (helper != null) helper.close();
            try {
                cleanUp(id, withInit, cgroup);
            } catch (RuntimeException failure) { // reported beside the cause, which is what the user must see
                Throwable cause = failure.getCause();
                warn.accept("clean-up after the failed create of " + id + ": " + failure.getMessage()
                        + (cause != null ? ": " + cause.getMessage() : ""));
            }
            if (e instanceof IOException io) throw new UncheckedIOException(io);
            throw (RuntimeException) e;
        }
    }

    private void cleanUp(String id, ContainerState withInit, ContainerCgroup cgroup) {
        if (withInit != null) killAndWait(withInit, cgroup, true, false);
        cgroup.remove().forEach(warn);
        store.remove(id);
    }

    /** As runc: a cgroup that others' processes are in is joined with a warning, and they are left alone. */
    private void warnIfPopulated(ContainerCgroup cgroup) {
        int others = cgroup.pids().size();
        if (others > 0) warn.accept("container's cgroup is not empty: " + others + " process(es) found in "
                + cgroup.dirs().getFirst() + "; they are not the container's and will not be signalled");
    }

    private static long mountNamespace(int pid) {
        return Proc.namespaceInode(Path.of("/proc/" + pid + "/ns/mnt"));
    }

    private static List<Path> paths(List<String> strings) {
        List<Path> paths = new ArrayList<>();
        for (String s : strings) paths.add(Path.of(s));
        return paths;
    }

    private static List<String> strings(List<Path> paths) {
        List<String> strings = new ArrayList<>();
        for (Path p : paths) strings.add(p.toString());
        return strings;
    }

    private static void writePidFile(Path pidFile, int pid) {
        try {
            Path abs = pidFile.toAbsolutePath();
            Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
            FileText.write(tmp, Integer.toString(pid));
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("write pid file " + pidFile, e);
        }
    }

    /** Lets the created init exec the user's program. */
    public void start(String id) {
        ContainerState state = store.get(id);
        try (FileLock lock = store.lock(id)) {
            Status status = status(state);
            switch (status) {
                case STOPPED -> throw new CapsaException("cannot start a container that has stopped");
                case RUNNING -> throw new CapsaException("cannot start an already running container");
                case CREATING -> throw new CapsaException("cannot start a container that is still being created");
                case CREATED -> { }
            }
            openGate(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Under the container's lock: the init, waiting on the exec fifo, goes on to exec; poststart hooks follow. */
    private void openGate(ContainerState state) throws IOException {
        Path fifo = store.execFifo(state.id());
        // Read-write, which never blocks on a fifo; the init, alive as its status says, holds the other end.
        try (RandomAccessFile gate = new RandomAccessFile(fifo.toFile(), "rw")) {
            gate.write('0');
        }
        Files.deleteIfExists(fifo);
        runWithWarning(state.parsedHooks().get("poststart"), stateDocument(state, Status.RUNNING));
    }

    /**
     * poststart and poststop hooks, run by a helper where capsa is, one helper each: a hook that fails is
     * reported, and the rest and the lifecycle go on (runtime spec).
     */
    private void runWithWarning(List<Hook> hooks, Map<String, Object> state) {
        if (hooks.isEmpty()) return; // the usual case, without writing the state for nobody
        String json = Json.write(state);
        for (Hook hook : hooks) {
            try (Helper helper = startHelper(ContainerPlanner.hooks(List.of(hook)), 0)) {
                helper.awaitHooks();
                helper.sendHookStates(json, json);
                helper.awaitEnd();
            } catch (CapsaException e) {
                warn.accept(e.getMessage());
            }
        }
    }

    public Status status(String id) {
        return status(store.get(id));
    }

    private Status status(ContainerState state) {
        if (state.pid() == 0) return Status.CREATING;
        if (Proc.startTime(state.pid()) != state.startTime()) return Status.STOPPED;
        if (Files.exists(store.execFifo(state.id()))) return Status.CREATED;
        return cgroupOf(state).frozen() ? Status.PAUSED : Status.RUNNING;
    }

    /** The OCI state document. */
    public Map<String, Object> state(String id) {
        ContainerState s = store.get(id);
        return stateDocument(s, status(s));
    }

    private static Map<String, Object> stateDocument(ContainerState s, Status status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", s.ociVersion());
        m.put("id", s.id());
        m.put("status", status.specName());
        m.put("pid", status == Status.STOPPED ? 0 : s.pid());
        m.put("bundle", s.bundle());
        m.put("rootfs", s.rootfs());
        m.put("created", s.created());
        m.put("owner", ownerName(s.owner()));
        m.put("annotations", s.annotations());
        return m;
    }

    /** Each state is read once: a container deleted meanwhile is left out, wherever its removal has got to. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> states = new ArrayList<>();
        for (String id : store.ids()) {
            Optional<ContainerState> state = store.find(id);
            if (state.isPresent()) states.add(stateDocument(state.get(), status(state.get())));
        }
        return states;
    }

    private static String ownerName(int uid) {
        return uid == 0 ? "root" : Integer.toString(uid);
    }

    /** Sends a signal to the init, or with all to every process of the container (see processes). */
    public void kill(String id, int signal, boolean all) {
        ContainerState state = store.get(id);
        Status status = status(state);
        if (status == Status.STOPPED || status == Status.CREATING) throw new CapsaException("container not running");
        if (all) {
            signal(processes(state, cgroupOf(state)), signal);
            return;
        }
        if (signal(Map.of(state.pid(), state.startTime()), signal) == 0) throw new CapsaException("container not running");
    }

    /**
     * Signals each process (pid to start time) that is still the one it was, through the helper rather
     * than libc, whose first call from Java costs ~35 ms of start-up. Returns how many were signalled.
     */
    private int signal(Map<Integer, Long> processes, int signal) {
        if (processes.isEmpty()) return 0;
        Plan plan = new Plan();
        processes.forEach((pid, start) -> plan.add(Op.SIGNAL, "send signal " + signal + " to process " + pid, pid, start, signal));
        int sent = 0;
        try (Helper helper = startHelper(plan, 0)) {
            for (int i = 0; i < processes.size(); i++) if (helper.awaitSignal()) sent++;
            helper.awaitEnd();
        }
        return sent;
    }

    /**
     * The container's processes with their start times: those in its cgroup, which others may share (a
     * cgroupsPath that names an existing cgroup), that are in its init's mount namespace and started no
     * earlier; not those that have exited meanwhile.
     */
    private static Map<Integer, Long> processes(ContainerState state, ContainerCgroup cgroup) {
        Map<Integer, Long> processes = new LinkedHashMap<>();
        for (int pid : cgroup.pids()) {
            long start = Proc.startTime(pid);
            if (start >= state.startTime() && state.mountNamespace() != -1 && mountNamespace(pid) == state.mountNamespace())
                processes.put(pid, start);
        }
        return processes;
    }

    /** The pids of the container's processes, from its cgroup. */
    public List<Integer> pids(String id) {
        ContainerState state = store.get(id);
        return status(state) == Status.STOPPED ? List.of() : List.copyOf(processes(state, cgroupOf(state)).keySet());
    }

    /** Removes the container; a running one only with force, which kills every process of the container first. */
    public void delete(String id, boolean force) {
        ContainerId.validate(id); // before the lookup, whose failure force forgives
        ContainerState state;
        try {
            state = store.get(id);
        } catch (CapsaException e) {
            if (force && Files.isDirectory(store.dir(id))) { // a create that died before writing any state
                store.remove(id);
                return;
            }
            if (force) return;
            throw e;
        }
        delete(state, cgroupOf(state), force);
    }

    private void delete(ContainerState state, ContainerCgroup cgroup, boolean force) {
        String id = state.id();
        try (FileLock lock = store.lock(id)) {
            Status status = status(state);
            if ((status == Status.RUNNING || status == Status.PAUSED) && !force)
                throw new CapsaException("cannot delete container " + id + " that is not stopped: " + status.specName());
            killAndWait(state, cgroup, status != Status.STOPPED && state.pid() > 0, status == Status.PAUSED);
            cgroup.remove().forEach(warn);
            store.remove(id);
            runWithWarning(state.parsedHooks().get("poststop"), stateDocument(state, Status.STOPPED));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGKILLs the container's processes (see processes), and its init first if withInit, and waits until they
     * have exited: until then a cgroup cannot be removed, and is told from one that others' processes hold.
     * Then again, as long as any are left: without a PID namespace, what they forked meanwhile outlives them.
     */
    private void killAndWait(ContainerState state, ContainerCgroup cgroup, boolean withInit, boolean paused) {
        Map<Integer, Long> processes = new LinkedHashMap<>();
        if (withInit) processes.put(state.pid(), state.startTime());
        processes.putAll(processes(state, cgroup));
        if (signal(processes, Signals.SIGKILL) == 0) return;
        if (paused) cgroup.freeze(false); // frozen tasks die only once thawed
        // Polled: only a pidfd could report the exit of a process that is not our child, and that takes libc.
        for (Map.Entry<Integer, Long> p : processes.entrySet()) {
            for (int waited = 0; Proc.startTime(p.getKey()) == p.getValue(); waited++) {
                if (waited == 10_000) throw new CapsaException("container " + state.id() + " did not exit after SIGKILL");
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CapsaException("interrupted while waiting for container " + state.id() + " to exit");
                }
            }
        }
        killAndWait(state, cgroup, false, false);
    }

    private ContainerCgroup cgroupOf(ContainerState state) {
        return new ContainerCgroup(layout(), paths(state.cgroupDirs()), paths(state.ownedCgroupDirs()));
    }

    /** The host's cgroup layout, read once per Containers: `list` and `events` ask for many statuses, the engine too. */
    public CgroupLayout layout() {
        if (layout == null) layout = CgroupLayout.detect();
        return layout;
    }

    /** Changes a running container's limits; a stopped one is refused, and nothing is written before all is checked. */
    public void update(String id, Resources resources) {
        ContainerState state = store.get(id);
        try (FileLock lock = store.lock(id)) {
            Status status = status(state);
            if (status == Status.STOPPED || status == Status.CREATING) throw new CapsaException("container not running");
            ContainerCgroup cgroup = cgroupOf(state);
            if (cgroup.deviceProgram(resources) != null)
                warn.accept("linux.resources.devices: left as they are; on cgroup v2 they are a program attached at create");
            cgroup.apply(resources).forEach(warn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The container's usage, as runc's `events --stats` prints it. */
    public Map<String, Object> stats(String id) {
        ContainerState state = store.get(id);
        if (status(state) == Status.STOPPED) throw new CapsaException("container not running");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "stats");
        event.put("id", id);
        event.put("data", cgroupOf(state).stats());
        return event;
    }

    /** The OOM kills counted in the container's cgroup so far. */
    public long oomKills(String id) {
        return cgroupOf(store.get(id)).oomKills();
    }

    /** Freezes every process of the container (pause) or thaws them (resume). */
    public void freeze(String id, boolean frozen) {
        ContainerState state = store.get(id);
        try (FileLock lock = store.lock(id)) {
            Status status = status(state);
            if (frozen && status != Status.RUNNING) throw new CapsaException("container not running");
            if (!frozen && status != Status.PAUSED) throw new CapsaException("container not paused");
            cgroupOf(state).freeze(frozen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How exec was asked for, beyond the process. */
    public record ExecOptions(boolean detach, Path pidFile, int preserveFds, Path consoleSocket) {}

    /** The process that exec runs by default: the container's own, as its config.json gives it. */
    public ProcessSpec configuredProcess(String id) {
        ContainerState state = store.get(id);
        Spec spec = Spec.load(Path.of(state.bundle()));
        if (spec.process() == null) throw new CapsaException("config.json of " + id + " has no process");
        return spec.process();
    }

    /** Runs a process inside a running container; returns its exit code, or 0 when detached. */
    public int exec(String id, ProcessSpec process, ExecOptions options) {
        ContainerState state = store.get(id);
        Status status = status(state);
        if (status != Status.RUNNING && status != Status.CREATED)
            throw new CapsaException("cannot exec in a " + status.specName() + " container");
        Spec spec = loadSpec(Path.of(state.bundle())); // the process gets the container's seccomp profile, as in runc
        ContainerCgroup cgroup = cgroupOf(state);
        // Moving another process costs the kernel an RCU grace period (~5-15 ms); moving itself does not.
        boolean joinsItself = ContainerPlanner.joinsCgroupsItself(spec);
        Plan plan = ExecPlanner.plan(state.pid(), process, spec.linux().seccomp(), options.preserveFds(), !options.detach(),
                options.consoleSocket(), joinsItself ? cgroup.dirs() : null, layout());
        return runIn(cgroup, joinsItself, plan, options);
    }

    /**
     * Runs a process as `nsenter --target` the container's init with `--root` would (`capsa ns enter`): in
     * the init's namespaces of the given types where they differ from ours, in its root and its cgroups,
     * without the container's seccomp filter or capabilities; returns its exit code.
     */
    public int enter(String id, Set<NamespaceType> types, ProcessSpec process) {
        ContainerState state = store.get(id);
        Status status = status(state);
        if (status != Status.RUNNING) throw new CapsaException("cannot enter a " + status.specName() + " container");
        ContainerCgroup cgroup = cgroupOf(state);
        boolean joinsItself = ContainerPlanner.joinsCgroupsItself(Spec.load(Path.of(state.bundle())));
        Plan plan = NamespaceEnter.plan(state.pid(), types, process, joinsItself ? cgroup.dirs() : null, layout());
        return runIn(cgroup, joinsItself, plan, new ExecOptions(false, null, 0, null));
    }

    /** Carries out an exec-like plan, its process put into the container's cgroup by us unless it joins itself. */
    private int runIn(ContainerCgroup cgroup, boolean joinsItself, Plan plan, ExecOptions options) {
        try (Helper helper = startHelper(plan, options.preserveFds())) {
            int pid = helper.awaitPid();
            if (!joinsItself) cgroup.add(pid);
            helper.go();
            if (options.detach()) helper.awaitEnd(); // with a monitor, a failed exec comes with the exit status
            if (options.pidFile() != null) writePidFile(options.pidFile(), pid);
            if (options.detach()) return 0;
            ForwardedSignals.to(pid);
            return helper.awaitExit();
        }
    }
}
