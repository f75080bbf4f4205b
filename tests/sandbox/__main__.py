"""``python -m tests.sandbox``: run the Gravitee sandbox until interrupted."""

import argparse
import signal
import sys
import threading

from .runtime import Sandbox, SandboxConfig, ready_line


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=18080,
                        help="APIM mgmt N, APIM gateway N+1, AM mgmt N+2, AM gateway N+3, upstream MCP N+4")
    parser.add_argument("--env-file", help="also write the URLs and credentials as GRAVITEE_* shell variables")
    parser.add_argument("--sync-delay", type=float, default=1.0, help="seconds before the gateway serves a deployment")
    parser.add_argument("--apim-version", default="4.12.17")
    parser.add_argument("--am-version", default="4.12.4")
    parser.add_argument("--apim-edition", choices=("ee", "ce"), default="ee")
    parser.add_argument("--tls", action="store_true",
                        help="serve every port over HTTPS (certificate for localhost, from a generated CA whose "
                             "bundle path is printed as ca_path and exported as GRAVITEE_CA_PATH)")
    parser.add_argument("--domain-redeploy-window", type=float, default=0.0,
                        help="seconds after a domain change during which the AM gateway answers login 500 and "
                             "RFC 7592 client management 404 (0 = off)")
    args = parser.parse_args(argv)
    config = SandboxConfig(host=args.host, base_port=args.base_port, sync_delay=args.sync_delay,
                           apim_version=args.apim_version, am_version=args.am_version,
                           apim_edition=args.apim_edition, tls=args.tls,
                           domain_redeploy_window=args.domain_redeploy_window)
    sandbox = Sandbox(config)
    try:
        sandbox.start()
    except RuntimeError as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 1
    if args.env_file:
        sandbox.write_env_file(args.env_file)
    print(ready_line(sandbox), flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
