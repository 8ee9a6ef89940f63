/** What is read of sigma: a synchronous render and its canvas layers, bottom first. */
export interface ViewLayers {
  refresh(): unknown;
  getCanvases(): Record<string, HTMLCanvasElement>;
}

/**
 * The current view as one image: sigma draws on stacked canvas layers (edges and nodes in WebGL,
 * labels in 2D). A WebGL canvas keeps its pixels only until the browser presents the frame
 * (sigma does not ask to preserve the drawing buffer), so the view is rendered synchronously and
 * the layers are copied, bottom to top, onto a white canvas in the same task.
 */
export function composeView(sigma: ViewLayers): HTMLCanvasElement {
  sigma.refresh();
  const layers = Object.values(sigma.getCanvases());
  const width = layers[0]?.width ?? 1;
  const height = layers[0]?.height ?? 1;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const context = out.getContext('2d');
  if (!context) throw new Error('this browser cannot draw a 2D canvas');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  for (const layer of layers) context.drawImage(layer, 0, 0, width, height);
  return out;
}

/** The composed view as PNG bytes. */
export function viewPng(sigma: ViewLayers): Promise<Blob> {
  const canvas = composeView(sigma);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the view could not be encoded as PNG'))), 'image/png'),
  );
}
