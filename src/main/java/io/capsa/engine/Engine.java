package io.capsa.engine;

import io.capsa.cgroups.ContainerCgroup;
import io.capsa.engine.config.ContainerConfig;
import io.capsa.engine.config.ContainerResolver;
import io.capsa.engine.config.ContainerUser;
import io.capsa.engine.config.CreateRequest;
import io.capsa.engine.config.HostConfig;
import io.capsa.engine.config.SpecBuilder;
import io.capsa.engine.config.SpecInput;
import io.capsa.engine.config.Volumes;
import io.capsa.image.Digest;
import io.capsa.image.ImageInfo;
import io.capsa.image.rootfs.RootFilesystems;
import io.capsa.image.store.FileTrees;
import io.capsa.image.store.ImageStore;
import io.capsa.linux.FileText;
import io.capsa.linux.Proc;
import io.capsa.linux.RandomIds;
import io.capsa.network.Attachment;
import io.capsa.network.AttachedContainers;
import io.capsa.network.Networks;
import io.capsa.network.PortMapping;
import io.capsa.linux.Signals;
import io.capsa.runtime.Attach;
import io.capsa.runtime.BuildOutput;
import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import io.capsa.runtime.HostMounts;
import io.capsa.runtime.Monitor;
import io.capsa.spec.Json;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.ProcessSpec;
import io.capsa.spec.Spec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine's container verbs, callable from Java without the CLI (the later API service is a second caller).
 * Each container runs under the runtime library with a monitor (the native helper) as its parent, which
 * holds its stdio and log and, when it exits, runs `capsa container cleanup ID`: the exit is recorded, the
 * runtime's container deleted and the root file system unmounted there, and --rm and --restart applied.
 * No JVM stays while a container runs. Every change of a container's state holds its lock.
 */
public final class Engine {
    /** mount(2)'s flags of a shareable /dev/shm, as Docker's. */
    private static final long MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8;
    /** How often a waiting command looks for the exit file the monitor writes. */
    private static final long POLL_MILLIS = 10;

    private final Path dataRoot, runRoot;
    private final ContainerStore store;
    private final Supplier<ImageStore> images;
    private final Containers runtime;
    private final ContainerNetworks networks;
    private final Consumer<String> warn;

    /** images is asked for only when a container's root is mounted: a cleanup must not make a data root's image store. */
    public Engine(Path dataRoot, Path runRoot, Supplier<ImageStore> images, Consumer<String> debug, Consumer<String> warn) {
        this.dataRoot = dataRoot;
        this.runRoot = runRoot;
        this.store = new ContainerStore(dataRoot);
        this.images = images;
        this.runtime = new Containers(runRoot.resolve("_runtime"), debug, warn);
        this.networks = new ContainerNetworks(new Networks(dataRoot, runRoot, AttachedContainers.NONE), store);
        this.warn = warn;
    }

    public ContainerStore store() {
        return store;
    }

    public ImageStore images() {
        return images.get();
    }

    /** Records a new container of a stored image; nothing runs yet. */
    public ContainerRecord create(CreateRequest request, ImageInfo image, Digest imageId, String imageName) {
        ContainerConfig config = ContainerConfig.merged(request.config(), image.config());
        for (int attempt = 0; ; attempt++) {
            String name = request.name() != null ? ContainerStore.checkName(request.name()) : NameGenerator.next(attempt);
            ContainerRecord record = new ContainerRecord(RandomIds.next(), name, Instant.now(), imageName, imageId, image.manifest(),
                    config, request.hostConfig());
            try {
                store.add(record);
                return record;
            } catch (ContainerStore.NameInUseException e) {
                if (request.name() != null || attempt == 5) throw e;
            }
        }
    }

    public ContainerRecord find(String nameOrId) {
        return store.find(nameOrId);
    }

    /** The container's state, brought up to date first (an exit its monitor recorded, a monitor killed). */
    public RunState state(ContainerRecord record) {
        RunState state = store.state(record.id());
        if (!state.isUp() || monitorAlive(state) && !Files.exists(exitFile(record.id()))) return state;
        finish(record);
        state = store.state(record.id());
        if (state.status() == RunState.Status.EXITED && record.hostConfig().autoRemove() && !monitorAlive(state)) remove(record, true, true);
        return state;
    }

    /** Every container's record, as stored (no state read): what images are in use. */
    public List<ContainerRecord> records() {
        List<ContainerRecord> records = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                records.add(store.get(id));
            } catch (RuntimeException e) {
                if (Files.exists(store.dir(id).resolve("container.json"))) throw e; // else removed meanwhile
            }
        }
        return records;
    }

    /** Every container (with all, also those not running), oldest first. */
    public List<Container> list(boolean all) {
        List<Container> list = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                ContainerRecord record = store.get(id);
                RunState state = state(record);
                if (all || state.isUp()) list.add(new Container(record, state));
            } catch (RuntimeException e) {
                if (Files.exists(store.dir(id).resolve("container.json"))) throw e; // else removed meanwhile
            }
        }
        list.sort(Comparator.comparing(c -> c.record().created()));
        detachStale();
        return list;
    }

    /**
     * Takes off their networks the containers that are attached but not up: left by a CLI that died between
     * attach and start, or by a monitor killed with its container. One whose lock is held is being started.
     */
    private void detachStale() {
        for (String id : networks.attached()) {
            if (!Files.exists(store.dir(id).resolve("container.json"))) {
                networks.detach(id);
                continue;
            }
            try (ContainerStore.Lock lock = store.tryLock(id)) {
                if (lock != null && !store.state(id).isUp()) networks.detach(id);
            }
        }
    }

    /** A container with its state at one moment. */
    public record Container(ContainerRecord record, RunState state) {}

    /** Starts a created or exited container, detached. A running one is left as it is, as Docker does. */
    public void start(ContainerRecord record) {
        startWith(record, null);
    }

    /**
     * Starts the container with the caller's stdio attached (`run` without -d, `start -a`): returns its exit
     * code once it ended and was cleaned up, or empty when the user detached.
     */
    public OptionalInt startAttached(ContainerRecord record, Attach.Options options) {
        return startWith(record, options);
    }

    private OptionalInt startWith(ContainerRecord record, Attach.Options attach) {
        int pid;
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            RunState state = state(record);
            if (state.isUp()) {
                if (attach == null) return OptionalInt.empty();
                throw new CapsaException("container " + record.name() + " is running already");
            }
            pid = prepare(record);
        }
        try {
            if (attach == null) {
                launch(record, pid);
                return OptionalInt.empty();
            }
            OptionalInt code = Attach.attach(attachSocket(record.id()), attach, () -> launch(record, pid));
            if (code.isPresent()) cleanup(record.id());
            return code;
        } catch (RuntimeException e) {
            abandon(record, e.getMessage());
            throw e;
        }
    }

    /**
     * Mounts the root, writes the OCI config and has the runtime create the container under a monitor; returns
     * the pid of its init.
     */
    private int prepare(ContainerRecord record) {
        Path dir = store.dir(record.id());
        Path monitorDir = monitorDir(record.id());
        try {
            FileTrees.delete(monitorDir); // an exit file of the last run
            Files.createDirectories(monitorDir);
            RootFilesystems.Mounted root = mountRoot(record, record.hostConfig().autoRemove());
            if (record.hostConfig().ipcMode().equals("shareable")) mountShm(record);
            SpecInput input = new SpecInput(record.id(), record.name(), record.config(), record.hostConfig(), root.target(), dir,
                    otherContainers());
            Map<String, Object> config = SpecBuilder.build(input);
            FileText.write(dir.resolve("config.json"), Json.write(config));
            Monitor monitor = new Monitor(logFile(record.id()), exitFile(record.id()), attachSocket(record.id()),
                    record.config().tty(), record.config().openStdin(), exitCommand(record.id()), rootfs(record.id()));
            return runtime.create(record.id(), new Containers.CreateOptions(dir, null, 0, false, true, null, monitor),
                    Spec.parse(Json.tree(config)));
        } catch (IOException | RuntimeException e) {
            unmountAll(record.id());
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * The /dev/shm of a shareable container, as Docker's: a tmpfs of --shm-size on the host, which the container
     * and those joining its IPC namespace bind-mount; unmounted when it ends.
     */
    private void mountShm(ContainerRecord record) throws IOException {
        Path shm = SpecBuilder.shmDirectory(store.dir(record.id()));
        RootFilesystems.unmount(shm); // left by a crash
        Files.createDirectories(shm);
        long size = record.hostConfig().shmSize() > 0 ? record.hostConfig().shmSize() : HostConfig.DEFAULT_SHM_SIZE;
        HostMounts.mount("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=" + size);
    }

    /** Mounts the container's root; a disposable one (--rm) is volatile, as nothing of it outlives a crash. */
    private RootFilesystems.Mounted mountRoot(ContainerRecord record, boolean disposable) throws IOException {
        Files.createDirectories(rootfs(record.id()));
        RootFilesystems.Mounted root = RootFilesystems.mount(images.get(), record.imageManifest(), store.dir(record.id()), rootfs(record.id()),
                RootFilesystems.Mode.AUTO, disposable);
        if (root.fallbackReason() != null) warn.accept("the container's root is a copy: " + root.fallbackReason());
        return root;
    }

    /** Something done to a container's files, given its root. */
    public interface RootAction<T> {
        T apply(Path root) throws IOException;
    }

    /**
     * Runs action on the container's root file system under the container's lock (no start or exit changes it
     * meanwhile), mounting the root for that time when the container is not running. With processView, a
     * running container's root is its init's (/proc/PID/root), with the volumes and tmpfs mounted in it, as
     * docker cp sees it; else the root file system alone, as export and commit take it.
     */
    public <T> T withRoot(ContainerRecord record, boolean processView, RootAction<T> action) {
        state(record); // an exit the monitor recorded is taken in first: that unmounts the root
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            RunState state = store.state(record.id());
            if (state.isUp()) return action.apply(processView ? Path.of("/proc/" + state.pid() + "/root") : rootfs(record.id()));
            mountRoot(record, false);
            try {
                return action.apply(rootfs(record.id()));
            } finally {
                RootFilesystems.unmount(rootfs(record.id()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets the created container run and records it running. */
    private void launch(ContainerRecord record, int pid) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            String id = record.id();
            int monitor = monitorOf(pid);
            networks.attach(record, pid); // its namespace is there, its program not yet started
            runtime.start(id);
            store.writeState(id, store.state(id).running(pid, monitor, Proc.startTime(monitor), Instant.now()));
        }
    }

    /**
     * The monitor of a created init: its parent, or its grandparent while the parent is still the helper's
     * runner, the monitor's short-lived child that cloned the init (both in the session the helper made).
     */
    private static int monitorOf(int initPid) {
        int parent = Proc.parentPid(initPid);
        int grandparent = Proc.parentPid(parent);
        return grandparent > 1 && Proc.sessionId(grandparent) == Proc.sessionId(parent) ? grandparent : parent;
    }

    /** After a start that failed: nothing of it stays running, and the error is in the state. */
    private void abandon(ContainerRecord record, String why) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            networks.detach(record.id());
            deleteFromRuntime(record.id());
            unmountAll(record.id());
            store.writeState(record.id(), store.state(record.id()).failed(why));
        }
    }

    /** Other containers as --pid=container:X and the like find them: running ones only. */
    private ContainerResolver otherContainers() {
        return new ContainerResolver() {
            public int runningPid(String nameOrId) {
                return running(nameOrId).pid();
            }

            public Path runningDirectory(String nameOrId) {
                running(nameOrId);
                return store.dir(store.find(nameOrId).id());
            }
        };
    }

    /** The state of a running container. */
    private RunState running(String nameOrId) {
        ContainerRecord other = store.find(nameOrId);
        RunState state = state(other);
        if (state.status() != RunState.Status.RUNNING)
            throw new CapsaException("cannot join container " + other.name() + ": it is not running");
        return state;
    }

    /**
     * What the monitor's exit command does (and a foreground run, whose CLI waited): records the exit, then
     * removes the container (--rm) or starts it again as its restart policy says.
     */
    public void cleanup(String id) {
        ContainerRecord record;
        RunState state;
        try {
            record = store.get(id);
            finish(record);
            state = store.state(id);
        } catch (ContainerStore.NoSuchContainerException e) {
            return; // removed meanwhile (rm -f): nothing is left to clean up
        }
        if (state.status() != RunState.Status.EXITED) return;
        if (record.hostConfig().autoRemove()) {
            remove(record, true, true);
            return;
        }
        if (RestartDecision.restarts(record.hostConfig().restartPolicy(), state)) {
            try (ContainerStore.Lock lock = store.lock(id)) {
                store.writeState(id, store.state(id).restarting());
            }
            sleep(RestartDecision.delayMillis(state.restartCount()));
            if (store.state(id).status() == RunState.Status.RESTARTING) start(record);
        }
    }

    /**
     * Records the exit of a container whose monitor has written the exit file (or was killed): deletes it from
     * the runtime, unmounts its root. Does nothing for a container recorded as exited already.
     */
    private void finish(ContainerRecord record) {
        finish(record, false);
    }

    /** As finish; with restarting, the exit is recorded with the status restarting (a user's restart). */
    private void finish(ContainerRecord record, boolean restarting) {
        String id = record.id();
        try (ContainerStore.Lock lock = store.lock(id)) {
            RunState state = store.state(id);
            if (!state.isUp() && state.status() != RunState.Status.RESTARTING) return;
            if (state.status() == RunState.Status.RESTARTING) return;
            Path exit = exitFile(id);
            int code;
            String why = "";
            if (Files.exists(exit)) {
                code = Integer.parseInt(FileText.read(exit).strip());
            } else if (monitorAlive(state)) {
                return;
            } else {
                code = 137;
                why = "the container's monitor (pid " + state.monitorPid() + ") was killed";
            }
            boolean oom = oomKilled(id);
            networks.detach(id);
            deleteFromRuntime(id);
            unmountAll(id);
            FileTrees.delete(monitorDir(id));
            Instant finished = Files.exists(exit) ? Files.getLastModifiedTime(exit).toInstant() : Instant.now();
            RunState exited = state.exited(code, oom, why, finished);
            store.writeState(id, restarting ? exited.withStatus(RunState.Status.RESTARTING) : exited);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a running container has mounted on the host: its root and a shareable /dev/shm. */
    private void unmountAll(String id) {
        RootFilesystems.unmount(rootfs(id));
        RootFilesystems.unmount(SpecBuilder.shmDirectory(store.dir(id)));
    }

    private boolean oomKilled(String id) {
        try {
            return runtime.oomKills(id) > 0;
        } catch (CapsaException e) {
            return false; // the runtime has no such container (any more)
        }
    }

    /** The container gone from the runtime, and the engine's parent cgroup with the last container's. */
    private void deleteFromRuntime(String id) {
        try {
            runtime.delete(id, true);
        } catch (CapsaException e) {
            if (!e.getMessage().contains("does not exist")) throw e;
        }
        ContainerCgroup.removeIfEmpty(runtime.layout(), SpecBuilder.CGROUP_PARENT);
    }

    private static boolean monitorAlive(RunState state) {
        return state.monitorPid() > 0 && Proc.startTime(state.monitorPid()) == state.monitorStart();
    }

    /** Waits until the container is no longer running; returns its exit code. */
    public int waitForExit(ContainerRecord record) {
        // The whole state (JSON and /proc reads, ~1 ms in the interpreter) when the monitor's exit file is there,
        // else once a second, for a monitor killed meanwhile or a stop by another command: a wait of hours would
        // otherwise keep a tenth of a core busy. In between, a stat of the exit file every poll.
        for (long look = 0; ; look++) {
            if (look % 100 == 0 || Files.exists(exitFile(record.id()))) {
                RunState state = state(record);
                if (!state.isUp() && state.status() != RunState.Status.RESTARTING) return state.exitCode();
            }
            sleep(POLL_MILLIS);
        }
    }

    /**
     * Stops a running container as Docker does: its stop signal, then SIGKILL after the timeout (seconds; null
     * for the container's --stop-timeout or 10). No restart follows; a container of --rm is gone when it returns,
     * as with Docker: this does the work of the monitor's exit command, which it spares.
     */
    public void stop(ContainerRecord record, Integer timeoutSeconds) {
        stop(record, timeoutSeconds, false);
    }

    /**
     * docker restart: stopped as stop does, then started again. In between it is recorded restarting, not
     * exited, so that neither --rm nor its restart policy acts on that exit, as in Docker.
     */
    public void restart(ContainerRecord record, Integer timeoutSeconds) {
        stop(record, timeoutSeconds, true);
        start(record);
    }

    private void stop(ContainerRecord record, Integer timeoutSeconds, boolean restarting) {
        String id = record.id();
        RunState state;
        try (ContainerStore.Lock lock = store.lock(id)) {
            state = state(record);
            store.writeState(id, store.state(id).markedStopped());
        }
        if (state.status() == RunState.Status.RESTARTING) {
            finishRestarting(record);
            return;
        }
        if (!state.isUp()) return;
        claimExit(id);
        if (state.status() == RunState.Status.PAUSED) runtime.freeze(id, false);
        int timeout = timeoutSeconds != null ? timeoutSeconds : record.config().stopTimeout() != null ? record.config().stopTimeout() : 10;
        if (!signal(id, Signals.parse(stopSignal(record))) || !awaitExit(id, timeout * 1000L)) {
            signal(id, 9);
            awaitExit(id, 30_000);
        }
        if (restarting) finish(record, true);
        else cleanup(id); // the exit command's work, which claimExit spared the monitor
    }

    /** Tells the monitor that this CLI waits for the exit and does what its exit command would (see Monitor.claimFile). */
    private void claimExit(String id) {
        try {
            Files.createFile(Monitor.claimFile(exitFile(id)));
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            // claimed already, or no monitor's directory: no monitor to tell
        } catch (IOException e) {
            throw new UncheckedIOException("claim the exit of container " + id, e);
        }
    }

    private void finishRestarting(ContainerRecord record) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            RunState s = store.state(record.id());
            if (s.status() == RunState.Status.RESTARTING) store.writeState(record.id(), s.withStatus(RunState.Status.EXITED));
        }
    }

    private boolean signal(String id, int signal) {
        try {
            runtime.kill(id, signal, false);
            return true;
        } catch (CapsaException e) {
            return false; // it has exited meanwhile
        }
    }

    /**
     * Waits for the monitor's exit file, or a monitor killed meanwhile; false after millis. The file, which
     * usually comes a millisecond or two after a SIGKILL, is looked for each millisecond (a stat); the state and
     * the monitor, which cost a JSON read and a /proc read in the interpreter, at the usual poll's pace.
     */
    private boolean awaitExit(String id, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long look = 0; !Files.exists(exitFile(id)); look++) {
            if (System.nanoTime() > deadline) return false;
            if (look % POLL_MILLIS == 0) {
                RunState state = store.state(id);
                if (!state.isUp() || !monitorAlive(state)) return true;
            }
            sleep(1);
        }
        return true;
    }

    /**
     * Sends a signal to the container's init (Docker's kill: SIGKILL unless told). As Docker's, SIGKILL or the
     * container's stop signal ends it for good: no restart follows, a paused container is thawed for the
     * signal to take effect, and a SIGKILL returns once the container has exited.
     */
    public void kill(ContainerRecord record, int signal) {
        String id = record.id();
        RunState state = state(record);
        if (!state.isUp()) throw new CapsaException("Cannot kill container: " + record.name() + ": container is not running");
        boolean ending = signal == Signals.SIGKILL || signal == Signals.parse(stopSignal(record));
        if (ending) {
            try (ContainerStore.Lock lock = store.lock(id)) {
                store.writeState(id, store.state(id).markedStopped());
            }
        }
        runtime.kill(id, signal, false);
        if (ending && state.status() == RunState.Status.PAUSED) pause(record, false);
        if (signal == Signals.SIGKILL) {
            awaitExit(id, 30_000);
            finish(record);
        }
    }

    private static String stopSignal(ContainerRecord record) {
        return record.config().stopSignal() != null ? record.config().stopSignal() : "SIGTERM";
    }

    public void pause(ContainerRecord record, boolean paused) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            RunState state = state(record);
            if (paused && state.status() != RunState.Status.RUNNING)
                throw new CapsaException("Container " + record.name() + " is not running");
            if (!paused && state.status() != RunState.Status.PAUSED)
                throw new CapsaException("Container " + record.name() + " is not paused");
            runtime.freeze(record.id(), paused);
            store.writeState(record.id(), state.withStatus(paused ? RunState.Status.PAUSED : RunState.Status.RUNNING));
        }
    }

    /** Removes the container; a running one only with force, which kills it first. */
    public void remove(ContainerRecord record, boolean force) {
        remove(record, force, false);
    }

    /** remove, and with volumes its anonymous volumes too (rm -v; --rm does it, as Docker's). */
    public void remove(ContainerRecord record, boolean force, boolean volumes) {
        RunState state = state(record);
        if (state.isUp() || state.status() == RunState.Status.RESTARTING) {
            if (!force) throw new CapsaException("You cannot remove a running container " + record.id()
                    + ". Stop the container before attempting removal or force remove");
            stopNow(record);
        }
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            networks.detach(record.id());
            deleteFromRuntime(record.id());
            store.hide(record.id());
            RootFilesystems.unmount(SpecBuilder.shmDirectory(store.dir(record.id())));
            RootFilesystems.remove(rootfs(record.id()), store.dir(record.id()));
            FileTrees.delete(monitorDir(record.id()));
            store.remove(record);
            if (volumes) {
                for (String name : Volumes.anonymous(record.id(), record.config(), record.hostConfig()))
                    FileTrees.delete(dataRoot.resolve("volumes").resolve(name));
            }
        } catch (NoSuchFileException | ContainerStore.NoSuchContainerException e) {
            // removed meanwhile (by its own exit command, for --rm)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopNow(ContainerRecord record) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            store.writeState(record.id(), store.state(record.id()).markedStopped());
        }
        finishRestarting(record);
        if (store.state(record.id()).status() == RunState.Status.PAUSED) runtime.freeze(record.id(), false);
        claimExit(record.id());
        signal(record.id(), 9);
        awaitExit(record.id(), 30_000);
        finish(record);
    }

    /**
     * What docker exec runs: a command with the container's environment (plus env), in workingDir or the
     * container's, as user ("name|uid[:group|gid]") or the container's user.
     */
    public record ExecRequest(List<String> command, boolean detach, boolean tty, List<String> env, String workingDir, String user) {}

    /** Runs a process in the running container; returns its exit code (0 when detached). */
    public int exec(ContainerRecord record, ExecRequest request) {
        RunState state = requireRunning(record, "exec");
        ProcessSpec base = runtime.configuredProcess(record.id());
        List<String> env = new ArrayList<>(base.env());
        env.addAll(request.env());
        String cwd = request.workingDir() != null ? request.workingDir() : base.cwd();
        ProcessSpec.User user = base.user();
        if (request.user() != null) { // a name through the container's own /etc/passwd and /etc/group, as at create
            ContainerUser u = ContainerUser.resolve(Path.of("/proc/" + state.pid() + "/root"), request.user());
            user = new ProcessSpec.User(u.uid(), u.gid(), base.user().umask(), u.additionalGids());
        }
        ProcessSpec process = base.with(request.tty(), request.command(), env, cwd, user, 0);
        return runtime.exec(record.id(), process, new Containers.ExecOptions(request.detach(), null, 0, null));
    }

    /**
     * What `capsa ns enter` runs, as `nsenter --target` the container's init with --root runs it: command
     * with env (nsenter passes on its own environment), as root, in the init's namespaces of types.
     */
    public record EnterRequest(List<String> command, Set<NamespaceType> types, List<String> env) {}

    /**
     * Runs a process in a running container's namespaces of the chosen types, its root, its cgroups and its
     * working directory, without its seccomp filter or capability limits; returns its exit code.
     */
    public int enter(ContainerRecord record, EnterRequest request) {
        requireRunning(record, "entering it");
        ProcessSpec process = new ProcessSpec(false, ProcessSpec.ConsoleSize.UNSET, request.command(), request.env(),
                runtime.configuredProcess(record.id()).cwd(), new ProcessSpec.User(0, 0, null, List.of()), null, List.of(),
                false, null, null, null);
        return runtime.enter(record.id(), request.types(), process);
    }

    /**
     * The state of a running container; one paused or not running is refused, in Docker's words. action: what a
     * paused container must be unpaused before ("exec").
     */
    private RunState requireRunning(ContainerRecord record, String action) {
        RunState state = state(record);
        if (state.status() == RunState.Status.PAUSED)
            throw new CapsaException("Container " + record.id() + " is paused, unpause the container before " + action);
        if (state.status() != RunState.Status.RUNNING) throw new CapsaException("Container " + record.id() + " is not running");
        return state;
    }

    /**
     * docker top: ps run on the host with psArgs ("-ef" when none), its rows of the container's processes,
     * each with its pid in the container beside the host's.
     */
    public ProcessTable top(ContainerRecord record, List<String> psArgs) {
        RunState state = state(record);
        if (!state.isUp()) throw new CapsaException("Container " + record.id() + " is not running");
        List<String> command = new ArrayList<>(List.of("ps"));
        command.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        List<Integer> pids = runtime.pids(record.id());
        try {
            Process ps = new ProcessBuilder(command).redirectInput(new File("/dev/null")).start();
            String out = new String(ps.getInputStream().readAllBytes()); // stderr holds a line at most: it cannot fill
            byte[] err = ps.getErrorStream().readAllBytes();
            if (ps.waitFor() != 0) throw new CapsaException("ps: " + new String(err).strip().lines().findFirst().orElse("failed"));
            return ProcessTable.fromPs(out, pids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CapsaException("interrupted");
        }
    }

    /** One sample of the container's resource usage (docker stats); zeros for one that is not running. */
    public ContainerStats stats(ContainerRecord record) {
        RunState state = state(record);
        if (!state.isUp()) return ContainerStats.none(record);
        try {
            return ContainerStats.of(record, (Map<?, ?>) runtime.stats(record.id()).get("data"), state.pid());
        } catch (CapsaException | UncheckedIOException e) {
            return ContainerStats.none(record); // it exited meanwhile
        }
    }

    /** The container's ports published on the host (docker port): those its networks' attach published. */
    public List<PublishedPort> ports(ContainerRecord record) {
        List<PublishedPort> ports = new ArrayList<>();
        for (PortMapping p : networks.settings(record.id()).ports())
            ports.add(new PublishedPort(p.containerPort(), p.protocol(), p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), p.hostPort()));
        return ports;
    }

    /** Gives the container another name. */
    public void rename(ContainerRecord record, String newName) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            store.rename(record, ContainerStore.checkName(newName));
        }
    }

    /** docker network connect: a running container on one more network. */
    public void connect(ContainerRecord record, Attachment request) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            if (store.state(record.id()).status() != RunState.Status.RUNNING)
                throw new CapsaException("container " + record.name() + " is not running: connect works on running containers");
            networks.connect(record.id(), request);
        }
    }

    /** docker network disconnect: a running container off one of its networks. */
    public void disconnect(ContainerRecord record, String network) {
        try (ContainerStore.Lock lock = store.lock(record.id())) {
            if (!store.state(record.id()).isUp()) throw new CapsaException("container " + record.name() + " is not running");
            networks.disconnect(record.id(), network);
        }
    }

    /** The container's networks as it was attached to them (nothing when it is not running). */
    public ContainerNetworks.Settings networkSettings(String id) {
        return networks.settings(id);
    }

    public Path logFile(String id) {
        return store.dir(id).resolve("container.log");
    }

    public Path rootfs(String id) {
        return store.dir(id).resolve("merged");
    }

    /** Monitor files are on the run root: they mean nothing after a reboot. The socket's path must fit 108 bytes. */
    private Path monitorDir(String id) {
        return runRoot.resolve("_m").resolve(id);
    }

    Path exitFile(String id) {
        return monitorDir(id).resolve("exit");
    }

    public Path attachSocket(String id) {
        return monitorDir(id).resolve("sock");
    }

    /** The monitor runs it when the container exits. */
    private List<String> exitCommand(String id) {
        List<String> command = cli(dataRoot, runRoot);
        command.addAll(List.of("container", "cleanup", id));
        return command;
    }

    /** bin/capsa on these roots, as the monitor's exit command and a run's pull call it; its command is to follow. */
    public static List<String> cli(Path dataRoot, Path runRoot) {
        String capsa = BuildOutput.file("../bin/capsa").normalize().toString();
        return new ArrayList<>(List.of(capsa, "--data-root", dataRoot.toString(), "--run-root", runRoot.toString()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CapsaException("interrupted");
        }
    }
}
