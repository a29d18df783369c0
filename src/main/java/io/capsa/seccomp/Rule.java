package io.capsa.seccomp;

import io.capsa.spec.Node;

import java.util.ArrayList;
import java.util.List;

/** One entry of linux.seccomp.syscalls: these system calls get this action when every condition holds. */
public record Rule(List<String> names, Action action, List<Condition> conditions) {

    static Rule parse(Node syscall) {
        Node namesNode = syscall.get("names");
        List<Node> nameNodes = namesNode.list();
        if (nameNodes.isEmpty()) throw namesNode.error("must name at least one system call");
        for (Node n : nameNodes) {
            String name = n.requiredString();
            if (!SyscallTable.exists(name)) throw n.error("unknown syscall \"" + name + "\"");
        }
        Action action = Action.parse(syscall.get("action"), syscall.get("errnoRet"));
        List<Condition> conditions = new ArrayList<>();
        for (Node arg : syscall.get("args").list()) conditions.add(Condition.parse(arg));
        return new Rule(namesNode.strings(), action, List.copyOf(conditions));
    }
}
