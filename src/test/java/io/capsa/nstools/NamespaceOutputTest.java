package io.capsa.nstools;

import io.capsa.spec.NamespaceType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON and the table, on rows as lsns 2.38 printed them here. */
class NamespaceOutputTest {
    private static final List<Namespace> ROWS = List.of(
            new Namespace(4026531832L, NamespaceType.MOUNT, List.of(2, 25, 4711), "root", "kthreadd", 0),
            new Namespace(4026531836L, NamespaceType.PID, List.of(2, 4711), "root", "kthreadd", 0),
            new Namespace(4026532180L, NamespaceType.PID, List.of(4712, 4713), "nobody", "sleep 1000", 4026531836L));

    @Test
    void tableAlignsAsLsns() {
        // lsns -l -o NS,TYPE,NPROCS,PID,USER,PNS,COMMAND: numbers right-aligned, text left-aligned, the last column unpadded.
        assertEquals("""
                        NS TYPE NPROCS  PID USER          PNS COMMAND
                4026531832 mnt       3    2 root            0 kthreadd
                4026531836 pid       2    2 root            0 kthreadd
                4026532180 pid       2 4712 nobody 4026531836 sleep 1000
                """, NamespaceTable.render(ROWS, null));
    }

    @Test
    void tableNamesTheContainersBeforeTheCommandAndLeavesOutParentsTheScanDidNotAskFor() {
        List<Namespace> rows = List.of(new Namespace(4026531832L, NamespaceType.MOUNT, List.of(2), "root", "kthreadd", -1),
                new Namespace(4026532180L, NamespaceType.PID, List.of(4712, 4713), "root", "sleep 1000", -1));
        assertEquals("""
                        NS TYPE NPROCS  PID USER CONTAINERS COMMAND
                4026531832 mnt       1    2 root            kthreadd
                4026532180 pid       2 4712 root db,web     sleep 1000
                """, NamespaceTable.render(rows, ns -> ns.nprocs() == 2 ? List.of("db", "web") : List.of()));
    }

    @Test
    void tableOfNothingIsTheHeader() {
        assertEquals("NS TYPE NPROCS PID USER COMMAND\n", NamespaceTable.render(List.of(), null));
    }

    @Test
    void jsonHasLsnsFieldsWithNumbersAsNumbersAndTheParentOfPidNamespaces() {
        assertEquals("""
                {
                  "namespaces": [
                    {
                      "ns": 4026531832,
                      "type": "mnt",
                      "nprocs": 3,
                      "pid": 2,
                      "user": "root",
                      "command": "kthreadd"
                    },
                    {
                      "ns": 4026531836,
                      "type": "pid",
                      "nprocs": 2,
                      "pid": 2,
                      "user": "root",
                      "command": "kthreadd",
                      "pns": 0
                    },
                    {
                      "ns": 4026532180,
                      "type": "pid",
                      "nprocs": 2,
                      "pid": 4712,
                      "user": "nobody",
                      "command": "sleep 1000",
                      "pns": 4026531836
                    }
                  ]
                }
                """, NamespaceJson.write(ROWS, null));
    }

    @Test
    void jsonNamesTheContainersTheCallerMapsToEachNamespaceAsItsLastField() {
        List<Namespace> rows = ROWS.subList(2, 3);
        String plain = NamespaceJson.write(rows, null);
        String json = NamespaceJson.write(rows, ns -> ns.pids().contains(4713) ? List.of("db", "web") : List.of());
        String pns = "\"pns\": 4026531836";
        assertEquals(plain.replace(pns, pns + """
                ,
                      "containers": [
                        "db",
                        "web"
                      ]"""), json);
    }

    @Test
    void jsonLeavesOutParentsTheScanDidNotAskFor() {
        List<Namespace> rows = List.of(new Namespace(1, NamespaceType.PID, List.of(9), "root", "sh", -1));
        assertFalse(NamespaceJson.write(rows, null).contains("pns"));
    }

    @Test
    void jsonEscapesCommands() {
        List<Namespace> rows = List.of(new Namespace(1, NamespaceType.UTS, List.of(9), "0", "sh -c \"echo\\\t\"", 0));
        assertTrue(NamespaceJson.write(rows, null).contains("\"command\": \"sh -c \\\"echo\\\\\\t\\\"\""));
    }
}
