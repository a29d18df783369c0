package io.capsa.seccomp;

import io.capsa.spec.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of linux.seccomp.syscalls: these system calls get this action when every condition holds.
 * ids holds each name's SyscallTable id, -1 for a name capsa does not know: like runc, capsa skips such a
 * name rather than refuse a profile written for a newer kernel.
 */
public record Rule(List<String> names, int[] ids, Action action, List<Condition> conditions) {

    static Rule parse(Node syscall) {
        Node namesNode = syscall.get("names");
        List<Node> nameNodes = namesNode.list();
        if (nameNodes.isEmpty()) throw namesNode.error("must name at least one system call");
        int[] ids = new int[nameNodes.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = SyscallTable.id(nameNodes.get(i).requiredString());
        Action action = Action.parse(syscall.get("action"), syscall.get("errnoRet"));
        List<Condition> conditions = new ArrayList<>();
        for (Node arg : syscall.get("args").list()) conditions.add(Condition.parse(arg));
        return new Rule(namesNode.strings(), ids, action, List.copyOf(conditions));
    }
}
