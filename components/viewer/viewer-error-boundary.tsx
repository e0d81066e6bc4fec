"use client";

import { Component, type ReactNode } from "react";

interface Props {
  fallback: (message: string) => ReactNode;
  onError?: (message: string) => void;
  children: ReactNode;
}

/** Catches render-time failures of a viewer (no WebGL, a scene that throws) so one broken model never takes the page down. */
export class ViewerErrorBoundary extends Component<Props, { message: string | null }> {
  state = { message: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { message: error instanceof Error && error.message ? error.message : "The 3D view failed to render." };
  }

  componentDidCatch(error: unknown) {
    this.props.onError?.(error instanceof Error ? error.message : String(error));
  }

  render() {
    return this.state.message !== null ? this.props.fallback(this.state.message) : this.props.children;
  }
}
