import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Modal } from './Modal';

/** A page with a button that opens a small form in a dialog. */
function Page({ onClose, autofocus = true }: { onClose?: () => void; autofocus?: boolean }) {
  const [open, setOpen] = useState(false);
  const close = () => {
    onClose?.();
    setOpen(false);
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Abrir
      </button>
      {open && (
        <Modal title="Reservar cita" closeLabel="Cerrar" onClose={close}>
          <input aria-label="Inicio" />
          <input aria-label="Paciente" {...(autofocus ? { 'data-autofocus': '' } : {})} />
          <button type="button" disabled>
            Borrar
          </button>
          <button type="submit">Guardar</button>
          <button type="button" disabled>
            Después
          </button>
        </Modal>
      )}
    </>
  );
}

async function openDialog(props: Parameters<typeof Page>[0] = {}) {
  const user = userEvent.setup();
  render(<Page {...props} />);
  await user.click(screen.getByRole('button', { name: 'Abrir' }));
  return user;
}

describe('Modal', () => {
  it('is a labelled modal dialog', async () => {
    await openDialog();
    const dialog = screen.getByRole('dialog', { name: 'Reservar cita' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
  });

  it('moves focus to the [data-autofocus] control', async () => {
    await openDialog();
    expect(screen.getByLabelText('Paciente')).toHaveFocus();
  });

  it('otherwise focuses the first control (its close button)', async () => {
    await openDialog({ autofocus: false });
    expect(screen.getByRole('button', { name: 'Cerrar' })).toHaveFocus();
  });

  it('closes on Escape and gives focus back to what opened it', async () => {
    const onClose = vi.fn<() => void>();
    const user = await openDialog({ onClose });
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Abrir' })).toHaveFocus();
  });

  it('closes with its × button', async () => {
    const onClose = vi.fn<() => void>();
    const user = await openDialog({ onClose });
    await user.click(screen.getByRole('button', { name: 'Cerrar' }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('keeps Tab inside, skipping disabled controls', async () => {
    const user = await openDialog();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Guardar' })).toHaveFocus();
    // From the last enabled control back to the first (the close button), and back again.
    await user.tab();
    expect(screen.getByRole('button', { name: 'Cerrar' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Guardar' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByLabelText('Paciente')).toHaveFocus();
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Cerrar' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Guardar' })).toHaveFocus();
    // Never out to the page behind.
    expect(screen.getByRole('button', { name: 'Abrir' })).not.toHaveFocus();
  });
});
