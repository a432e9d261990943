import argparse

from crm_lessons.app.server import serve

if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m crm_lessons.app",
        description="The no-code CRM health check, on this computer only (127.0.0.1).",
    )
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    serve(parser.parse_args().port)
