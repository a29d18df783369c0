package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.Engine;
import io.capsa.linux.Proc;
import io.capsa.nstools.Namespace;
import io.capsa.nstools.NamespaceJson;
import io.capsa.nstools.NamespaceScanner;
import io.capsa.nstools.NamespaceTable;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.Quoted;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * capsa ns ls: every namespace in use on the host as `lsns --list` shows it, with the parents of pid and
 * user namespaces, and the running containers whose init is in each (the host's namespaces too, for the
 * containers that share them).
 */
final class NsListCommand extends AliasedCommand {
    NsListCommand() {
        super("ls, list");
    }

    @Override
    public Usage usage() {
        return new Usage("List the namespaces in use on the host and the containers using them", "",
                Flag.ofText("-t, --type", "TYPE", "Only namespaces of this type (" + typeNames() + ")").repeatable(),
                Flag.ofBoolean("-J, --json", "Print JSON in lsns's shape, with \"containers\""));
    }

    @Override
    public int run(Globals globals, Args args) {
        Set<NamespaceType> types = types(args.values("--type"));
        Map<Long, List<String>> users = containersByNamespace(globals.engine().list(false), types);
        List<Namespace> namespaces = new NamespaceScanner().scan(types, true);
        Function<Namespace, List<String>> containers = ns -> users.getOrDefault(ns.inode(), List.of());
        return Main.print(args.flag("--json") ? NamespaceJson.write(namespaces, containers) : NamespaceTable.render(namespaces, containers));
    }

    /** lsns -t's names (the files in /proc/PID/ns); none given is all. */
    private static Set<NamespaceType> types(List<String> names) {
        if (names.isEmpty()) return Set.of(NamespaceType.values());
        Set<NamespaceType> types = new HashSet<>();
        for (String name : names) types.add(type(name));
        return types;
    }

    private static NamespaceType type(String name) {
        for (NamespaceType t : NamespaceType.values()) if (t.procName().equals(name)) return t;
        throw new UsageException("unknown namespace type " + Quoted.of(name) + " (" + typeNames() + ")");
    }

    private static String typeNames() {
        List<String> names = new ArrayList<>();
        for (NamespaceType t : NamespaceType.values()) names.add(t.procName());
        return String.join(", ", names);
    }

    /** Namespace inode to the names of the containers whose init is in it, sorted; inodes are unique across types. */
    private static Map<Long, List<String>> containersByNamespace(List<Engine.Container> running, Set<NamespaceType> types) {
        Map<Long, List<String>> names = new HashMap<>();
        for (Engine.Container c : running) {
            for (NamespaceType type : types) {
                long inode = Proc.namespaceInode(Path.of("/proc/" + c.state().pid() + "/ns/" + type.procName()));
                if (inode != -1) names.computeIfAbsent(inode, i -> new ArrayList<>()).add(c.record().name());
            }
        }
        for (List<String> list : names.values()) list.sort(null);
        return names;
    }
}
