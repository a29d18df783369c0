package io.capsa.runtime;

import java.nio.file.Path;
import java.util.List;

/** STUB until monitor lands. */
public record Monitor(Path logFile, Path exitFile, Path attachSocket, boolean terminal, boolean openStdin, List<String> exitCommand) {}
