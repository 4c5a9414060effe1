"""The Streamlit interface: pages and widgets over the Python API (no retrieval or answering logic here)."""
