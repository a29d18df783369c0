# console-receiver.py SOCKET: stands in for containerd's console socket. It accepts one connection,
# receives the pty master by SCM_RIGHTS, and prints the pty name it was sent, then all the pty says.
import os
import socket
import sys

server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])
server.listen(1)
print("listening", flush=True)
conn, _ = server.accept()
name, fds, _, _ = socket.recv_fds(conn, 64, 1)
print("name", name.decode(), flush=True)
output = b""
while True:
    try:
        data = os.read(fds[0], 4096)
    except OSError:  # EIO: every holder of the pty's other end has closed it
        break
    if not data:
        break
    output += data
print(output.decode().replace("\r", ""), flush=True)
