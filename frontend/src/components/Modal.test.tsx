import { fireEvent, render, screen, waitFor } from '@testing-library/react';
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

/** A dialog whose controls go away under the focus: a pick that replaces the search box, a save. */
function Shifting({ onClose }: { onClose: () => void }) {
  const [picked, setPicked] = useState(false);
  const [saving, setSaving] = useState(false);
  return (
    <>
      <button type="button">Detrás</button>
      <Modal title="Reservar cita" closeLabel="Cerrar" onClose={onClose}>
        {picked ? <p>José</p> : <button type="button" data-autofocus onClick={() => setPicked(true)}>Elegir</button>}
        <button type="button" disabled={saving} onClick={() => setSaving(true)}>
          Guardar
        </button>
        <button type="button" onClick={() => setSaving(false)}>
          Falla
        </button>
      </Modal>
    </>
  );
}

describe('Modal when the focused control goes away (issue 14, defect 4)', () => {
  it('keeps focus in the dialog, not on <body>; Tab and Escape still work', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn<() => void>();
    render(<Shifting onClose={onClose} />);
    await user.click(screen.getByRole('button', { name: 'Elegir' }));
    await waitFor(() => expect(screen.getByRole('dialog')).toHaveFocus());
    await user.tab();
    expect(screen.getByRole('button', { name: 'Cerrar' })).toHaveFocus();
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Guardar' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('answers Escape and Tab from <body> too, as the page behind is inert in a browser', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn<() => void>();
    render(<Shifting onClose={onClose} />);
    (document.activeElement as HTMLElement).blur();
    expect(document.body).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Cerrar' })).toHaveFocus();
    (document.activeElement as HTMLElement).blur();
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Falla' })).toHaveFocus();
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
    expect(screen.getByRole('button', { name: 'Detrás' })).not.toHaveFocus();
  });

  it('gives focus back to a button disabled while saving once it is enabled again', async () => {
    const user = userEvent.setup();
    render(<Shifting onClose={() => undefined} />);
    const save = screen.getByRole('button', { name: 'Guardar' });
    await user.click(save);
    expect(save).toBeDisabled();
    await waitFor(() => expect(screen.getByRole('dialog')).toHaveFocus());
    // The save failed: the button is back, and so is the focus.
    fireEvent.click(screen.getByRole('button', { name: 'Falla' }));
    await waitFor(() => expect(save).toHaveFocus());
  });

  it('lets only the innermost of two dialogs answer Escape', async () => {
    const user = userEvent.setup();
    const outer = vi.fn<() => void>();
    function Nested() {
      const [inner, setInner] = useState(true);
      return (
        <Modal title="Cita" closeLabel="Cerrar" onClose={outer}>
          <button type="button">Editar</button>
          {inner && (
            <Modal title="¿Cancelar?" closeLabel="Cerrar" onClose={() => setInner(false)}>
              <button type="button">Sí</button>
            </Modal>
          )}
        </Modal>
      );
    }
    render(<Nested />);
    // The inner one has the focus (on its first control, its close button).
    expect(screen.getByRole('dialog', { name: '¿Cancelar?' })).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: '¿Cancelar?' })).not.toBeInTheDocument();
    expect(outer).not.toHaveBeenCalled();
    await user.keyboard('{Escape}');
    expect(outer).toHaveBeenCalledOnce();
  });
});
