import { createContext, useContext } from 'react';

export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

export interface ToastApi {
  notify: (kind: ToastKind, message: string) => void;
}

export const ToastContext = createContext<ToastApi>({ notify: () => {} });

export function useToasts(): ToastApi {
  return useContext(ToastContext);
}
