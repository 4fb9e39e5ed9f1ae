import http from "node:http";
import https from "node:https";
import net from "node:net";
import type tls from "node:tls";

/**
 * Fixture web servers: each fixture host gets its own loopback address (127.0.0.N) with an HTTP server on the
 * shared "port 80" and an HTTPS server (its own certificate and TLS settings) on the shared "port 443",
 * so per-host TLS configurations (TLS 1.0, TLS 1.3 only, leaf-only chain) are real server settings.
 */

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, scheme: "http" | "https") => void;

export interface HostServerSpec {
  ip: string;
  http: Handler | "silent" | "refused";
  https: { tls: tls.SecureContextOptions & tls.TlsOptions; handler: Handler } | "silent" | "refused";
}

export interface RunningWebServers {
  ports: { http: number; https: number };
  close(): Promise<void>;
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function silentServer(held: Set<net.Socket>): net.Server {
  // Accepts connections and never answers: the slow/silent server the 60-second budget must survive.
  return net.createServer((socket) => {
    held.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => held.delete(socket));
  });
}

async function startOnPorts(specs: HostServerSpec[], ports: { http: number; https: number }): Promise<{ servers: net.Server[]; ports: { http: number; https: number }; held: Set<net.Socket> }> {
  const servers: net.Server[] = [];
  const held = new Set<net.Socket>();
  let { http: httpPort, https: httpsPort } = ports;
  try {
    for (const spec of specs) {
      if (spec.http !== "refused") {
        const handler = spec.http;
        const server = handler === "silent" ? silentServer(held) : http.createServer((req, res) => handler(req, res, "http"));
        servers.push(server);
        httpPort = await listen(server, httpPort, spec.ip);
      }
      if (spec.https !== "refused") {
        const config = spec.https;
        const server = config === "silent" ? silentServer(held) : https.createServer({ ...config.tls }, (req, res) => config.handler(req, res, "https"));
        server.on("tlsClientError", () => undefined);
        servers.push(server);
        httpsPort = await listen(server, httpsPort, spec.ip);
      }
    }
  } catch (error) {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    throw error;
  }
  return { servers, ports: { http: httpPort, https: httpsPort }, held };
}

async function freePort(ip: string): Promise<number> {
  const probe = net.createServer();
  const port = await listen(probe, 0, ip);
  await new Promise((r) => probe.close(r));
  return port;
}

/** Starts every host on one pair of ports (retrying with new ports if one is taken on some address). */
export async function startWebServers(
  specs: HostServerSpec[],
  extra: { ip: string; onConnection: (socket: net.Socket, port: number) => void }[] = [],
  fixedPorts?: { http: number; https: number },
): Promise<RunningWebServers> {
  for (let attempt = 0; attempt < (fixedPorts ? 1 : 10); attempt++) {
    const ports = fixedPorts ?? { http: await freePort("127.0.0.1"), https: await freePort("127.0.0.1") };
    try {
      const started = await startOnPorts(specs, ports);
      const recorders: net.Server[] = [];
      for (const { ip, onConnection } of extra) {
        for (const port of [ports.http, ports.https]) {
          const recorder = net.createServer((socket) => {
            onConnection(socket, port);
            socket.on("error", () => socket.destroy());
            // Closed at once: a recorder must never keep the fixture world from shutting down.
            socket.destroy();
          });
          recorders.push(recorder);
          await listen(recorder, port, ip);
        }
      }
      const all = [...started.servers, ...recorders];
      return {
        ports,
        close: async () => {
          for (const socket of started.held) socket.destroy();
          for (const server of all) (server as http.Server).closeAllConnections?.();
          await Promise.all(all.map((s) => new Promise((r) => s.close(r))));
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || fixedPorts) throw error;
    }
  }
  throw new Error("Could not find free ports for the fixture web servers");
}
